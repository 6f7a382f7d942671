import type { TableRows } from './generate-dataset';

function table(columns: Record<string, string>): TableRows {
  return { columns: Object.keys(columns), types: Object.values(columns), rows: [] };
}

/** The example schema's tables with their columns and Postgres types, empty: the generator fills them. */
export function emptyTables() {
  return {
    contacts: table({
      id: 'int',
      workspace_id: 'text',
      name: 'text',
      email: 'text',
      company: 'text',
      status: 'text',
      lead_score: 'int',
      last_contacted_at: 'timestamptz',
      notes: 'text',
      created_at: 'timestamptz',
    }),
    deals: table({
      id: 'int',
      workspace_id: 'text',
      contact_id: 'int',
      title: 'text',
      stage: 'text',
      value_cents: 'int',
      close_date: 'timestamptz',
      updated_at: 'timestamptz',
      notes: 'text',
    }),
    calendar_events: table({
      id: 'int',
      workspace_id: 'text',
      user_id: 'text',
      title: 'text',
      description: 'text',
      location: 'text',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
    }),
    tasks: table({
      id: 'int',
      workspace_id: 'text',
      assignee_id: 'text',
      title: 'text',
      description: 'text',
      status: 'text',
      priority: 'text',
      due_at: 'timestamptz',
      updated_at: 'timestamptz',
    }),
    agents: table({
      id: 'int',
      workspace_id: 'text',
      name: 'text',
      description: 'text',
      status: 'text',
      last_run_at: 'timestamptz',
      runs_last_7d: 'int',
      failures_last_7d: 'int',
    }),
    campaigns: table({
      id: 'int',
      workspace_id: 'text',
      name: 'text',
      channel: 'text',
      status: 'text',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
      budget_cents: 'int',
      leads_generated: 'int',
      updated_at: 'timestamptz',
    }),
    invoices: table({
      id: 'int',
      workspace_id: 'text',
      customer: 'text',
      amount_cents: 'int',
      status: 'text',
      issued_at: 'timestamptz',
      due_at: 'timestamptz',
    }),
    ai_conversations: table({
      id: 'int',
      workspace_id: 'text',
      user_id: 'text',
      title: 'text',
      last_message_at: 'timestamptz',
    }),
    ai_messages: table({
      id: 'bigint',
      conversation_id: 'int',
      workspace_id: 'text',
      user_id: 'text',
      role: 'text',
      content: 'text',
      created_at: 'timestamptz',
    }),
  };
}
