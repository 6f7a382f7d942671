import { createCache } from '@neptune/cache';
import { createQueryInstrumentation, pgExplainAnalyze } from '@neptune/context';
import { createTelemetryChannel, type NeptuneEventOf } from '@neptune/core';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createAssistantContext } from './assistant-context';
import { openDatabase } from './database';
import {
  agents,
  aiConversations,
  aiMessages,
  calendarEvents,
  campaigns,
  contacts,
  deals,
  invoices,
  tasks,
} from './schema';
import { createIndexesSql, createTablesSql } from './schema-sql';

const HOUR_MS = 3_600_000;

describeWithService('DATABASE_URL', 'the example sources on real PostgreSQL', (databaseUrl) => {
  const schemaName = randomTestId('ctx_example_');
  const { pool, db } = openDatabase(databaseUrl, { searchPath: schemaName, max: 4 });
  const now = new Date();
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
  const scope = { workspaceId: 'acme', userId: 'ann' };

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA "${schemaName}"`);
    for (const statement of [...createTablesSql(), ...createIndexesSql()]) await pool.query(statement);
    const workspaceId = 'acme';
    await db.insert(contacts).values([
      {
        workspaceId,
        name: 'Jane Doe',
        email: 'jane@acme.test',
        company: 'Acme',
        status: 'lead',
        leadScore: 92,
        lastContactedAt: at(-HOUR_MS),
        notes: 'Wants a demo.',
        createdAt: at(-100 * HOUR_MS),
      },
      {
        workspaceId: 'globex',
        name: 'Hank Scorpio',
        email: 'hank@globex.test',
        company: 'Globex',
        status: 'lead',
        leadScore: 99,
        lastContactedAt: null,
        notes: 'Other tenant.',
        createdAt: at(0),
      },
    ]);
    await db.insert(deals).values({
      workspaceId,
      contactId: 1,
      title: 'Acme renewal',
      stage: 'negotiation',
      valueCents: 4_000_000,
      closeDate: at(48 * HOUR_MS),
      updatedAt: at(-HOUR_MS),
      notes: 'Legal review.',
    });
    await db.insert(calendarEvents).values({
      workspaceId,
      userId: 'ann',
      title: 'Call with Jane',
      description: 'Renewal terms.',
      location: 'Zoom',
      startsAt: at(HOUR_MS),
      endsAt: at(2 * HOUR_MS),
    });
    await db.insert(tasks).values([
      {
        workspaceId,
        assigneeId: 'ann',
        title: 'Send Jane the revised quote',
        description: 'Include the 10% discount.',
        status: 'open',
        priority: 'high',
        dueAt: at(-24 * HOUR_MS),
        updatedAt: at(-30 * HOUR_MS),
      },
      {
        workspaceId,
        assigneeId: 'bob',
        title: 'Bob task',
        description: 'Not Ann.',
        status: 'open',
        priority: 'low',
        dueAt: at(-HOUR_MS),
        updatedAt: at(0),
      },
    ]);
    await db.insert(agents).values({
      workspaceId,
      name: 'Lead enricher',
      description: 'Enriches new leads.',
      status: 'failing',
      lastRunAt: at(-HOUR_MS),
      runsLast7d: 40,
      failuresLast7d: 12,
    });
    await db.insert(campaigns).values({
      workspaceId,
      name: 'Spring launch',
      channel: 'email',
      status: 'active',
      startsAt: at(-48 * HOUR_MS),
      endsAt: at(240 * HOUR_MS),
      budgetCents: 500_000,
      leadsGenerated: 31,
      updatedAt: at(-HOUR_MS),
    });
    await db.insert(invoices).values({
      workspaceId,
      customer: 'Acme',
      amountCents: 120_000,
      status: 'open',
      issuedAt: at(-40 * 24 * HOUR_MS),
      dueAt: at(-10 * 24 * HOUR_MS),
    });
    await db
      .insert(aiConversations)
      .values({ workspaceId, userId: 'ann', title: 'Acme pricing', lastMessageAt: at(-2 * HOUR_MS) });
    await db.insert(aiMessages).values(
      Array.from({ length: 40 }, (_, index) => ({
        conversationId: 1,
        workspaceId,
        userId: 'ann',
        role: index % 2 === 0 ? 'user' : 'assistant',
        content: `message ${index}`,
        createdAt: at(-(40 - index) * 60_000),
      })),
    );
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schemaName}" CASCADE`);
    await pool.end();
  });

  it('gathers every source, assembles the labelled items and the last 30 turns, then serves repeats from the cache', async () => {
    const telemetry = createTelemetryChannel();
    const queries: NeptuneEventOf<'db-query'>[] = [];
    telemetry.on('db-query', (event) => queries.push(event));
    const instrumentQuery = createQueryInstrumentation({ telemetry, logger: { warn: () => {} } });
    const assistant = createAssistantContext({ db, cache: createCache(), instrumentQuery, telemetry });
    const request = {
      query: 'Prep me for the call with Jane: is the Acme quote task overdue?',
      conversationId: 1,
    };
    const { gathered, assembled } = await assistant.buildMessages(scope, request);

    expect(gathered.failed).toEqual([]);
    expect(gathered.sources.map((source) => [source.kind, source.items])).toEqual([
      ['crm', 2],
      ['calendar', 1],
      ['tasks', 1],
      ['agents', 1],
      ['marketing', 1],
      ['finance', 1],
      ['conversations', 1],
      ['crm-search', 2],
      ['schedule-search', 2],
    ]);
    const top = assembled.included.filter((element) => element.section === 'context').slice(0, 3);
    expect(top.map((element) => element.id)).toEqual(expect.arrayContaining(['task-1', 'event-1']));
    const system = assembled.messages[0]!.content;
    expect(system).toContain('Send Jane the revised quote');
    expect(system).not.toContain('Hank');
    expect(system).not.toContain('Bob task');
    const history = assembled.messages.slice(1, -1);
    expect(history).toHaveLength(30);
    expect(history.at(-1)).toEqual({ role: 'assistant', content: 'message 39' });
    expect(queries.map((event) => event.name).sort()).toEqual([
      'agents.list',
      'calendar.upcoming',
      'conversations.recent',
      'crm.hot-leads',
      'crm.open-deals',
      'crm.search-contacts',
      'crm.search-deals',
      'finance.open-invoices',
      'marketing.campaigns',
      'memory.window',
      'schedule.search-events',
      'schedule.search-tasks',
      'tasks.open',
    ]);

    queries.length = 0;
    const again = await assistant.buildMessages(scope, request);
    expect(again.gathered.cacheHits).toBe(9);
    expect(queries.map((event) => event.name)).toEqual(['memory.window']);
    // The same turns and the same query; only the system message's "as of" time may have moved.
    expect(again.assembled.messages.slice(1)).toEqual(assembled.messages.slice(1));
  });

  it('takes the SQL for EXPLAIN ANALYZE from the drizzle query itself', async () => {
    const logger = { warn: vi.fn() };
    const instrumentQuery = createQueryInstrumentation({
      logger,
      slowQueryMs: 0,
      explain: pgExplainAnalyze(pool),
    });
    const assistant = createAssistantContext({ db, cache: createCache(), instrumentQuery });
    await assistant.gatherer.gather(scope, { kinds: ['tasks'] });
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledTimes(2));
    const [message, fields] = logger.warn.mock.calls[1]!;
    expect(message).toBe('EXPLAIN ANALYZE for slow query "tasks.open"');
    expect(fields.sql).toMatch(/from "tasks" where/);
    expect(fields.plan).toMatch(/Execution Time/);
  });
});
