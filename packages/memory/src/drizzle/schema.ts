import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Neptune's memory tables, written once against `pg-core` and run unchanged on node-postgres, Neon and
 * PGlite. Every table leads with `(workspace_id, user_id)`, so every query is scoped by an index prefix
 * and erasing a user or a workspace is one indexed delete per table. Migrations are generated from this
 * file by drizzle-kit (`pnpm --filter @neptune/memory db:generate`).
 */

const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
// Indexes use `.desc().nullsFirst()`: that is Postgres's plain `DESC`, which is what `ORDER BY … DESC`
// asks for. drizzle-kit would otherwise write `DESC NULLS LAST`, an order such queries cannot use.

/** `neptune_conversations`: one row per conversation, scoped to a workspace and user. */
export const conversationsTable = pgTable(
  'neptune_conversations',
  {
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    id: text('id').notNull(),
    title: text('title'),
    createdAt: timestampColumn('created_at').notNull(),
    lastMessageAt: timestampColumn('last_message_at').notNull(),
    /** Sequence number of the latest message; the next append continues from here. */
    lastSequence: integer('last_sequence').notNull().default(0),
  },
  (table) => [
    // Ids are unique per user, so one tenant can never learn that another used an id.
    primaryKey({ columns: [table.workspaceId, table.userId, table.id] }),
    // The plan's index: a user's conversations, most recently active first.
    index('neptune_conversations_workspace_user_last_message_idx').on(
      table.workspaceId,
      table.userId,
      table.lastMessageAt.desc().nullsFirst(),
    ),
  ],
);

/**
 * No foreign key to conversations: drizzle-kit writes references as `"public"."table"`, which would tie
 * the tables to one Postgres schema. The stores delete a conversation's messages with it instead.
 */
export const messagesTable = pgTable(
  'neptune_messages',
  {
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    sequence: integer('sequence').notNull(),
    id: text('id').notNull(),
    role: text('role').notNull(),
    content: text('content').notNull(),
    createdAt: timestampColumn('created_at').notNull(),
  },
  (table) => [
    // Also serves the window read: one conversation's latest messages by sequence.
    primaryKey({ columns: [table.workspaceId, table.userId, table.conversationId, table.sequence] }),
    // The plan's index: a user's messages, newest first (retention and erasure scans too).
    index('neptune_messages_workspace_user_created_idx').on(
      table.workspaceId,
      table.userId,
      table.createdAt.desc().nullsFirst(),
    ),
    check('neptune_messages_role_check', sql`${table.role} in ('user', 'assistant', 'system')`),
  ],
);

/** `neptune_action_history`: what users did, the input of pattern and timing learning. */
export const actionHistoryTable = pgTable(
  'neptune_action_history',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    /** Redacted before it is written: no emails, phone numbers or names. */
    type: text('type').notNull(),
    occurredAt: timestampColumn('occurred_at').notNull(),
  },
  (table) => [
    index('neptune_action_history_workspace_user_occurred_idx').on(
      table.workspaceId,
      table.userId,
      table.occurredAt.desc().nullsFirst(),
    ),
    // Timing learning reads one action type of one user.
    index('neptune_action_history_workspace_user_type_occurred_idx').on(
      table.workspaceId,
      table.userId,
      table.type,
      table.occurredAt.desc().nullsFirst(),
    ),
    // Workspace intelligence reads a bounded, recent slice of the whole workspace.
    index('neptune_action_history_workspace_occurred_idx').on(
      table.workspaceId,
      table.occurredAt.desc().nullsFirst(),
    ),
  ],
);

/** `neptune_suggestion_feedback`: whether a user accepted each pattern or timing suggestion, which learning weighs. */
export const suggestionFeedbackTable = pgTable(
  'neptune_suggestion_feedback',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind').notNull(),
    /** The pattern key, or the action type for timing suggestions. */
    key: text('key').notNull(),
    accepted: boolean('accepted').notNull(),
    /** Hour of the week (0 = Monday 00:00) a timing suggestion proposed. */
    hourOfWeek: smallint('hour_of_week'),
    createdAt: timestampColumn('created_at').notNull(),
  },
  (table) => [
    index('neptune_suggestion_feedback_workspace_user_kind_idx').on(
      table.workspaceId,
      table.userId,
      table.kind,
      table.key,
    ),
    check('neptune_suggestion_feedback_kind_check', sql`${table.kind} in ('pattern', 'timing')`),
    check(
      'neptune_suggestion_feedback_hour_check',
      sql`${table.hourOfWeek} is null or (${table.hourOfWeek} >= 0 and ${table.hourOfWeek} < 168)`,
    ),
  ],
);

/** `neptune_memory_consent`: each user's choices about what memory may keep and learn. */
export const memoryConsentTable = pgTable(
  'neptune_memory_consent',
  {
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    extraction: boolean('extraction').notNull(),
    learning: boolean('learning').notNull(),
    updatedAt: timestampColumn('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.workspaceId, table.userId] })],
);
