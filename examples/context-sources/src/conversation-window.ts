import type { InstrumentQuery, MemoryMessageInput } from '@neptune/context';
import type { Scope } from '@neptune/core';
import { and, desc, eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { aiMessages } from './schema';

/**
 * The last `limit` messages of a conversation, oldest first: the plan's "30, not 100", read newest-first
 * on the `(conversation_id, created_at DESC)` index. `@neptune/memory` does this (with a rolling summary
 * and facts) in a full app; the example keeps it to one query.
 */
export async function conversationWindow(
  db: NodePgDatabase,
  instrumentQuery: InstrumentQuery,
  options: { scope: Scope; conversationId: number; limit?: number },
): Promise<MemoryMessageInput[]> {
  const rows = await instrumentQuery(
    'memory.window',
    db
      .select({ role: aiMessages.role, content: aiMessages.content })
      .from(aiMessages)
      .where(
        and(
          eq(aiMessages.conversationId, options.conversationId),
          eq(aiMessages.workspaceId, options.scope.workspaceId),
        ),
      )
      .orderBy(desc(aiMessages.createdAt), desc(aiMessages.id))
      .limit(options.limit ?? 30),
    { scope: options.scope },
  );
  return rows
    .reverse()
    .map((row) => ({ role: row.role === 'assistant' ? 'assistant' : 'user', content: row.content }));
}
