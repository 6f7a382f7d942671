import type { ExampleApp } from '@neptune/examples-context-sources';

/** The tables the plan's context builder read in full for the workspace: CRM, calendar, tasks, agents, marketing, finance. */
const WORKSPACE_TABLES = ['contacts', 'deals', 'calendar_events', 'tasks', 'agents', 'campaigns', 'invoices'];

export interface NaiveContext {
  readonly rows: Readonly<Record<string, Array<Record<string, unknown>>>>;
  readonly messages: Array<{ role: 'user' | 'assistant'; content: string }>;
}

/**
 * The plan's starting point, as its section 1 describes it: every source in parallel, but `SELECT *` of
 * all the workspace's data, the last 100 messages of the conversation, no cache, and tables without the
 * plan's indexes.
 */
export async function naiveFetch(
  pool: ExampleApp['pool'],
  instrumentQuery: ExampleApp['instrumentQuery'],
  request: { workspaceId: string; userId: string; conversationId: number },
): Promise<NaiveContext> {
  const scope = { workspaceId: request.workspaceId, userId: request.userId };
  const [messages, conversations, ...tables] = await Promise.all([
    instrumentQuery(
      'naive.messages',
      () =>
        pool.query(
          'SELECT * FROM ai_messages WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 100',
          [request.conversationId],
        ),
      { scope },
    ),
    instrumentQuery(
      'naive.ai_conversations',
      () =>
        pool.query('SELECT * FROM ai_conversations WHERE workspace_id = $1 AND user_id = $2', [
          request.workspaceId,
          request.userId,
        ]),
      { scope },
    ),
    ...WORKSPACE_TABLES.map((name) =>
      instrumentQuery(
        `naive.${name}`,
        () => pool.query(`SELECT * FROM ${name} WHERE workspace_id = $1`, [request.workspaceId]),
        {
          scope,
        },
      ),
    ),
  ]);
  const rows: Record<string, Array<Record<string, unknown>>> = { ai_conversations: conversations.rows };
  for (const [index, name] of WORKSPACE_TABLES.entries()) rows[name] = tables[index]!.rows;
  return {
    rows,
    messages: messages.rows.reverse().map((row: { role: string; content: string }) => ({
      role: row.role === 'assistant' ? 'assistant' : 'user',
      content: row.content,
    })),
  };
}

const OMITTED = new Set(['id', 'workspace_id']);

/** The naive prompt: every fetched row on one line of values (no keys, no JSON, which would cost more). */
export function naiveMessages(
  context: NaiveContext,
  query: string,
  passages: ReadonlyArray<{ text: string }>,
) {
  const sections = Object.entries(context.rows).map(
    ([name, rows]) =>
      `## ${name}\n${rows
        .map((row) =>
          Object.entries(row)
            .filter(([column]) => !OMITTED.has(column))
            .map(([, value]) => (value instanceof Date ? value.toISOString() : String(value)))
            .join(' | '),
        )
        .join('\n')}`,
  );
  const knowledge = passages.map((passage, index) => `[${index + 1}] ${passage.text}`).join('\n\n');
  return [
    {
      role: 'system' as const,
      content: ['You are a helpful assistant.', ...sections, `## Knowledge\n${knowledge}`].join('\n\n'),
    },
    ...context.messages,
    { role: 'user' as const, content: query },
  ];
}
