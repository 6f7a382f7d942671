import type { Scope, ScopeKeys, TelemetryChannel } from '@neptune/core';
import { coveredScopeCondition, type PostgresDatabase, rowsOf } from '@neptune/core/postgres/drizzle';
import { and, desc, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm';
import {
  conversationNotFound,
  DEFAULT_CONVERSATION_PAGE,
  DEFAULT_MESSAGE_WINDOW,
  parseConversationId,
  parseCutoff,
  parseListConversationsOptions,
  parseListMessagesOptions,
  parseNewConversation,
  parseNewMessages,
} from '../conversations/conversation-inputs';
import type {
  Conversation,
  ConversationRemoval,
  ConversationStore,
} from '../conversations/conversation-store';
import {
  decodeConversationCursor,
  decodeMessageCursor,
  encodeConversationCursor,
  encodeMessageCursor,
} from '../conversations/page-cursor';
import { randomId } from '../record-id';
import { anyScopeKeys, userScopeKeys } from '../scope-guards';
import { appendMessagesStatement } from './append-messages-statement';
import { toConversation, toMessage } from './conversation-rows';
import { deleteInOneStatement } from './delete-in-one-statement';
import { prepareDrizzleStore } from './prepare-drizzle-store';
import { conversationsTable, messagesTable } from './schema';

/** Options of `drizzleConversationStore`. */
export interface DrizzleConversationStoreOptions {
  /** A drizzle Postgres database (node-postgres, Neon, PGlite). Run `migrate(db)` once beforehand. */
  readonly db: PostgresDatabase;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Queries at least this long are reported as slow. Default 500 ms. */
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
}

/** Ids sort bytewise (`COLLATE "C"`) so the order is the same on every database and in the memory store. */
const byteOrder = (column: SQL | typeof conversationsTable.id) => sql`${column} collate "C"`;

/**
 * `ConversationStore` on Postgres through drizzle: the `neptune_conversations` and `neptune_messages`
 * tables of `migrate(db)`. Appends number their messages in a single statement (the conversation row's
 * lock orders concurrent appends), so no interactive transaction is needed and neon-http works too.
 */
export function drizzleConversationStore(options: DrizzleConversationStoreOptions): ConversationStore & {
  readonly db: PostgresDatabase;
} {
  const { db, run } = prepareDrizzleStore('drizzleConversationStore', options);
  const t = conversationsTable;
  const m = messagesTable;

  async function removeWhere(
    operation: string,
    keys: ScopeKeys,
    messagesWhere: SQL,
    conversationsWhere: SQL,
  ): Promise<ConversationRemoval> {
    const [messages, conversations] = await deleteInOneStatement(
      { db, run },
      operation,
      keys,
      { table: m, where: messagesWhere },
      { table: t, where: conversationsWhere },
    );
    return { conversations, messages };
  }

  async function getConversation(scope: Scope, conversationId: string): Promise<Conversation | undefined> {
    const keys = userScopeKeys(scope, 'getConversation');
    const id = parseConversationId(conversationId);
    const rows = await run('getConversation', keys, () =>
      db
        .select()
        .from(t)
        .where(
          and(eq(t.workspaceId, keys.filter.workspaceId), eq(t.userId, keys.filter.userId), eq(t.id, id)),
        )
        .limit(1),
    );
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  return {
    name: 'drizzle',
    db,

    async createConversation(scope, input) {
      const keys = userScopeKeys(scope, 'createConversation');
      const checked = parseNewConversation(input);
      const createdAt = checked.createdAt ?? new Date();
      const row = {
        workspaceId: keys.filter.workspaceId,
        userId: keys.filter.userId,
        id: checked.id ?? randomId(),
        title: checked.title ?? null,
        createdAt,
        lastMessageAt: createdAt,
        lastSequence: 0,
      };
      const inserted = await run('createConversation', keys, () =>
        db.insert(t).values(row).onConflictDoNothing().returning(),
      );
      if (inserted[0]) return toConversation(inserted[0]);
      const existing = await getConversation(keys.scope, row.id);
      if (existing === undefined) throw conversationNotFound(row.id);
      return existing;
    },

    getConversation,

    async listConversations(scope, listOptions) {
      const keys = userScopeKeys(scope, 'listConversations');
      const { limit = DEFAULT_CONVERSATION_PAGE, cursor } = parseListConversationsOptions(listOptions);
      const after = cursor === undefined ? undefined : decodeConversationCursor(cursor);
      const afterCursor =
        after === undefined
          ? undefined
          : or(
              lt(t.lastMessageAt, after.lastMessageAt),
              and(eq(t.lastMessageAt, after.lastMessageAt), sql`${byteOrder(t.id)} < ${after.id}`),
            );
      const rows = await run(
        'listConversations',
        keys,
        () =>
          db
            .select()
            .from(t)
            .where(
              and(eq(t.workspaceId, keys.filter.workspaceId), eq(t.userId, keys.filter.userId), afterCursor),
            )
            .orderBy(desc(t.lastMessageAt), sql`${byteOrder(t.id)} desc`)
            .limit(limit + 1),
        (found) => found.length,
      );
      const items = rows.slice(0, limit).map(toConversation);
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          rows.length > limit && last ? encodeConversationCursor(last.lastMessageAt, last.id) : undefined,
      };
    },

    async appendMessages(scope, conversationId, messages) {
      const keys = userScopeKeys(scope, 'appendMessages');
      const id = parseConversationId(conversationId);
      const checked = parseNewMessages(messages);
      const now = new Date();
      const incoming = checked.map((message) => ({
        id: message.id ?? randomId(),
        role: message.role,
        content: message.content,
        createdAt: message.createdAt ?? now,
      }));
      const result = await run(
        'appendMessages',
        keys,
        () => db.execute(appendMessagesStatement(keys, id, incoming)),
        (found) => rowsOf(found).length,
      );
      const inserted = rowsOf(result);
      if (inserted.length === 0) throw conversationNotFound(id);
      return inserted.map((row) => toMessage(row, id)).sort((a, b) => a.sequence - b.sequence);
    },

    async listMessages(scope, conversationId, listOptions) {
      const keys = userScopeKeys(scope, 'listMessages');
      const id = parseConversationId(conversationId);
      const {
        limit = DEFAULT_MESSAGE_WINDOW,
        cursor,
        afterSequence = 0,
      } = parseListMessagesOptions(listOptions);
      const before = cursor === undefined ? undefined : decodeMessageCursor(cursor);
      const rows = await run(
        'listMessages',
        keys,
        () =>
          db
            .select({
              id: m.id,
              conversationId: m.conversationId,
              role: m.role,
              content: m.content,
              sequence: m.sequence,
              createdAt: m.createdAt,
            })
            .from(m)
            .where(
              and(
                eq(m.workspaceId, keys.filter.workspaceId),
                eq(m.userId, keys.filter.userId),
                eq(m.conversationId, id),
                gt(m.sequence, afterSequence),
                before === undefined ? undefined : lt(m.sequence, before),
              ),
            )
            .orderBy(desc(m.sequence))
            .limit(limit + 1),
        (found) => found.length,
      );
      const items = rows.slice(0, limit).map((row) => toMessage(row, id));
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > limit && last ? encodeMessageCursor(last.sequence) : undefined,
      };
    },

    async deleteConversation(scope, conversationId) {
      const keys = userScopeKeys(scope, 'deleteConversation');
      const id = parseConversationId(conversationId);
      return removeWhere(
        'deleteConversation',
        keys,
        and(coveredScopeCondition(m, keys), eq(m.conversationId, id)) as SQL,
        and(coveredScopeCondition(t, keys), eq(t.id, id)) as SQL,
      );
    },

    async deleteScope(scope) {
      const keys = anyScopeKeys(scope);
      return removeWhere('deleteScope', keys, coveredScopeCondition(m, keys), coveredScopeCondition(t, keys));
    },

    async deleteOlderThan(scope, cutoff) {
      const keys = anyScopeKeys(scope);
      const checkedCutoff = parseCutoff(cutoff);
      return removeWhere(
        'deleteOlderThan',
        keys,
        and(coveredScopeCondition(m, keys), lt(m.createdAt, checkedCutoff)) as SQL,
        and(coveredScopeCondition(t, keys), lt(t.lastMessageAt, checkedCutoff)) as SQL,
      );
    },
  };
}
