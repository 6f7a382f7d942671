import { dateOf } from '@neptune/core/postgres/drizzle';
import type { Conversation, StoredMessage } from '../conversations/conversation-store';
import type { conversationsTable } from './schema';

export function toConversation(row: typeof conversationsTable.$inferSelect): Conversation {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    userId: row.userId,
    title: row.title ?? undefined,
    createdAt: row.createdAt,
    lastMessageAt: row.lastMessageAt,
    lastSequence: row.lastSequence,
  };
}

/** A message from the query builder (typed) or from a raw `RETURNING` row (driver-typed). */
export function toMessage(row: Record<string, unknown>, conversationId: string): StoredMessage {
  return {
    id: String(row.id),
    conversationId,
    role: String(row.role) as StoredMessage['role'],
    content: String(row.content),
    sequence: Number(row.sequence),
    createdAt: dateOf(row.createdAt ?? row.created_at),
  };
}
