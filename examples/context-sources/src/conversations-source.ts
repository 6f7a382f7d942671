import { defineContextSource } from '@neptune/context';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { aiConversations } from './schema';
import type { SourceDependencies } from './source-dependencies';

const RECENT_MS = 24 * 3_600_000;

const conversationRecord = z.object({ id: z.number(), title: z.string(), lastMessageAt: z.date() });

/**
 * The user's latest conversations with the assistant (kind `conversations`, 1 minute), on the plan's
 * `(workspace_id, user_id, last_message_at DESC)` index. Those active in the last day count as recent.
 */
export function conversationsSource({ db, instrumentQuery, now = () => new Date() }: SourceDependencies) {
  return defineContextSource({
    kind: 'conversations',
    ttlMs: 60_000,
    graceMs: 60_000,
    scope: 'user',
    limit: 5,
    schema: conversationRecord,
    load: (scope, { limit }) =>
      instrumentQuery(
        'conversations.recent',
        db
          .select({
            id: aiConversations.id,
            title: aiConversations.title,
            lastMessageAt: aiConversations.lastMessageAt,
          })
          .from(aiConversations)
          .where(
            and(
              eq(aiConversations.workspaceId, scope.workspaceId),
              eq(aiConversations.userId, scope.userId!),
            ),
          )
          .orderBy(desc(aiConversations.lastMessageAt))
          .limit(limit),
        { scope },
      ),
    toItem: (conversation) => ({
      id: `conversation-${conversation.id}`,
      type: 'conversation',
      title: conversation.title,
      summary: `Earlier conversation: ${conversation.title}`,
      timestamp: conversation.lastMessageAt,
      signals: { recentConversation: now().getTime() - conversation.lastMessageAt.getTime() < RECENT_MS },
    }),
  });
}
