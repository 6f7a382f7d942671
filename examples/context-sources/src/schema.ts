import { bigserial, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The app's own tables, as a GalaxyCo-like workspace app has them: CRM, calendar, tasks, agents,
 * marketing, finance and the assistant's conversations. Unqualified names: the schema comes from the
 * connection's `search_path`, so that the benchmark can run the same code on two copies of the data.
 * Indexes are the optimization plan's (section 1.2) plus one per source query; `indexesSql` creates them.
 */

const timestamps = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const contacts = pgTable(
  'contacts',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    company: text('company').notNull(),
    /** `lead`, `customer` or `churned`. */
    status: text('status').notNull(),
    leadScore: integer('lead_score').notNull(),
    lastContactedAt: timestamps('last_contacted_at'),
    notes: text('notes').notNull(),
    createdAt: timestamps('created_at').notNull(),
  },
  (table) => [index('contacts_workspace_score').on(table.workspaceId, table.leadScore.desc())],
);

export const deals = pgTable(
  'deals',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    contactId: integer('contact_id').notNull(),
    title: text('title').notNull(),
    /** `prospect`, `proposal`, `negotiation`, `won` or `lost`. */
    stage: text('stage').notNull(),
    valueCents: integer('value_cents').notNull(),
    closeDate: timestamps('close_date').notNull(),
    updatedAt: timestamps('updated_at').notNull(),
    notes: text('notes').notNull(),
  },
  (table) => [index('deals_workspace_stage_close').on(table.workspaceId, table.stage, table.closeDate)],
);

export const calendarEvents = pgTable(
  'calendar_events',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    location: text('location').notNull(),
    startsAt: timestamps('starts_at').notNull(),
    endsAt: timestamps('ends_at').notNull(),
  },
  (table) => [
    index('calendar_events_workspace_user_start').on(table.workspaceId, table.userId, table.startsAt),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    assigneeId: text('assignee_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    /** `open` or `done`. */
    status: text('status').notNull(),
    /** `low`, `normal` or `high`. */
    priority: text('priority').notNull(),
    dueAt: timestamps('due_at'),
    updatedAt: timestamps('updated_at').notNull(),
  },
  (table) => [
    index('tasks_workspace_assignee_status_due').on(
      table.workspaceId,
      table.assigneeId,
      table.status,
      table.dueAt,
    ),
  ],
);

export const agents = pgTable(
  'agents',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    /** `active`, `paused` or `failing`. */
    status: text('status').notNull(),
    lastRunAt: timestamps('last_run_at'),
    runsLast7d: integer('runs_last_7d').notNull(),
    failuresLast7d: integer('failures_last_7d').notNull(),
  },
  (table) => [index('agents_workspace_status').on(table.workspaceId, table.status)],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    name: text('name').notNull(),
    channel: text('channel').notNull(),
    /** `active`, `scheduled` or `ended`. */
    status: text('status').notNull(),
    startsAt: timestamps('starts_at').notNull(),
    endsAt: timestamps('ends_at').notNull(),
    budgetCents: integer('budget_cents').notNull(),
    leadsGenerated: integer('leads_generated').notNull(),
    updatedAt: timestamps('updated_at').notNull(),
  },
  (table) => [index('campaigns_workspace_status_start').on(table.workspaceId, table.status, table.startsAt)],
);

export const invoices = pgTable(
  'invoices',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    customer: text('customer').notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** `paid` or `open`. */
    status: text('status').notNull(),
    issuedAt: timestamps('issued_at').notNull(),
    dueAt: timestamps('due_at').notNull(),
  },
  (table) => [index('invoices_workspace_status_due').on(table.workspaceId, table.status, table.dueAt)],
);

export const aiConversations = pgTable(
  'ai_conversations',
  {
    id: serial('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    title: text('title').notNull(),
    lastMessageAt: timestamps('last_message_at').notNull(),
  },
  // The plan's idx_ai_conversations_workspace_user_updated.
  (table) => [
    index('idx_ai_conversations_workspace_user_updated').on(
      table.workspaceId,
      table.userId,
      table.lastMessageAt.desc(),
    ),
  ],
);

export const aiMessages = pgTable(
  'ai_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: integer('conversation_id').notNull(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    /** `user` or `assistant`. */
    role: text('role').notNull(),
    content: text('content').notNull(),
    createdAt: timestamps('created_at').notNull(),
  },
  (table) => [
    // The plan's idx_ai_messages_workspace_user_created, and the one the conversation window reads.
    index('idx_ai_messages_workspace_user_created').on(
      table.workspaceId,
      table.userId,
      table.createdAt.desc(),
    ),
    // The window's filter and order exactly, so its last 30 messages are the first 30 index entries (with
    // the workspace in the key, the planner cannot misjudge the tenant filter and sort the whole table).
    index('ai_messages_conversation_created').on(
      table.conversationId,
      table.workspaceId,
      table.createdAt.desc(),
      table.id.desc(),
    ),
  ],
);
