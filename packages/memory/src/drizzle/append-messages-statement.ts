import type { ScopeKeys } from '@neptune/core';
import { type SQL, sql } from 'drizzle-orm';
import type { NewMessage } from '../conversations/conversation-store';
import { conversationsTable, messagesTable } from './schema';

export interface IncomingMessage extends Required<Pick<NewMessage, 'role' | 'content'>> {
  readonly id: string;
  readonly createdAt: Date;
}

/**
 * One statement that appends messages: the UPDATE takes the conversation's row lock and reserves the
 * sequence numbers, the INSERT uses them. A missing conversation reserves nothing and inserts nothing;
 * concurrent appends queue on the row lock. No interactive transaction, so it also runs on neon-http.
 * The first message sets the activity time, later ones only move it forward.
 */
export function appendMessagesStatement(
  keys: ScopeKeys,
  conversationId: string,
  messages: readonly IncomingMessage[],
): SQL {
  const t = conversationsTable;
  const { workspaceId, userId } = keys.filter;
  const latest = new Date(Math.max(...messages.map((message) => message.createdAt.getTime()))).toISOString();
  const values = sql.join(
    messages.map(
      (message, index) =>
        sql`(${message.id}::text, ${message.role}::text, ${message.content}::text, ${message.createdAt.toISOString()}::timestamptz, ${index + 1}::int)`,
    ),
    sql`, `,
  );
  return sql`
    with reserved as (
      update ${t}
         set last_sequence = last_sequence + ${messages.length}::int,
             last_message_at = case when last_sequence = 0 then ${latest}::timestamptz
                                    else greatest(last_message_at, ${latest}::timestamptz) end
       where ${t.workspaceId} = ${workspaceId} and ${t.userId} = ${userId} and ${t.id} = ${conversationId}
      returning last_sequence - ${messages.length}::int as base
    )
    insert into ${messagesTable} (workspace_id, user_id, conversation_id, sequence, id, role, content, created_at)
    select ${workspaceId}, ${userId}, ${conversationId}, reserved.base + incoming.ordinal,
           incoming.id, incoming.role, incoming.content, incoming.created_at
      from reserved, (values ${values}) as incoming (id, role, content, created_at, ordinal)
    returning sequence, id, role, content, created_at`;
}
