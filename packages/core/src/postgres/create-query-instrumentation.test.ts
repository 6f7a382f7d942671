import { describe, expect, it, vi } from 'vitest';
import type { NeptuneEventOf } from '../telemetry/events';
import { createTelemetryChannel } from '../telemetry/telemetry-channel';
import { createQueryInstrumentation } from './create-query-instrumentation';

function setup(options: Parameters<typeof createQueryInstrumentation>[0] = {}) {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEventOf<'db-query'>[] = [];
  telemetry.on('db-query', (event) => events.push(event));
  const logger = { warn: vi.fn() };
  const instrumentQuery = createQueryInstrumentation({ telemetry, logger, ...options });
  return { instrumentQuery, events, logger };
}

/** Shaped like a drizzle query builder: awaitable, with `toSQL()`. */
function drizzleLike<T>(rows: T[]) {
  return {
    toSQL: () => ({ sql: 'select * from "tasks" where "workspace_id" = $1 limit $2', params: ['acme', 25] }),
    // biome-ignore lint/suspicious/noThenProperty: drizzle's query builders are thenables; this mirrors one.
    then<Result1 = T[], Result2 = never>(
      onFulfilled?: ((value: T[]) => Result1 | PromiseLike<Result1>) | null,
      onRejected?: ((reason: unknown) => Result2 | PromiseLike<Result2>) | null,
    ) {
      return Promise.resolve(rows).then(onFulfilled, onRejected);
    },
  };
}

describe('createQueryInstrumentation', () => {
  it('returns what the query returns and emits a db-query event with its name and rows, never its parameters', async () => {
    const { instrumentQuery, events, logger } = setup();
    const rows = await instrumentQuery('tasks.open', () => Promise.resolve([{ id: 1 }, { id: 2 }]), {
      scope: { workspaceId: 'acme' },
    });
    expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(events).toEqual([
      expect.objectContaining({ name: 'tasks.open', rows: 2, slow: false, scope: { workspaceId: 'acme' } }),
    ]);
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(logger.warn).not.toHaveBeenCalled();
    // node-postgres results count by their rows.
    await instrumentQuery('raw', () => Promise.resolve({ rows: [{}, {}, {}] }));
    expect(events[1]!.rows).toBe(3);
  });

  it('flags a slow query, logs it, and logs its EXPLAIN ANALYZE plan from the SQL drizzle built', async () => {
    const explain = vi.fn(
      async (statement: { name: string; sql: string; params: readonly unknown[] }) =>
        `Seq Scan on tasks (${statement.params.length} params)`,
    );
    const { instrumentQuery, events, logger } = setup({ slowQueryMs: 0, explain });
    const rows = await instrumentQuery('tasks.open', drizzleLike([{ id: 1 }]));
    expect(rows).toEqual([{ id: 1 }]);
    expect(events[0]).toMatchObject({ name: 'tasks.open', slow: true, rows: 1 });
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledTimes(2));
    expect(explain).toHaveBeenCalledWith({
      name: 'tasks.open',
      sql: 'select * from "tasks" where "workspace_id" = $1 limit $2',
      params: ['acme', 25],
    });
    expect(logger.warn.mock.calls[0]![0]).toMatch(/^Slow query "tasks\.open" took \d+ ms$/);
    expect(logger.warn.mock.calls[1]).toEqual([
      'EXPLAIN ANALYZE for slow query "tasks.open"',
      expect.objectContaining({ plan: 'Seq Scan on tasks (2 params)' }),
    ]);
  });

  it('explains each query name at most once per interval, so a slow query under load is not doubled', async () => {
    const explain = vi.fn(async () => 'plan');
    const { instrumentQuery } = setup({ slowQueryMs: 0, explain, explainIntervalMs: 60_000 });
    for (let attempt = 0; attempt < 3; attempt++) await instrumentQuery('crm.leads', drizzleLike([]));
    await instrumentQuery('crm.deals', () => Promise.resolve([]), {
      statement: { sql: 'select 1', params: [] },
    });
    expect(explain.mock.calls.map((call) => (call as unknown as [{ name: string }])[0].name)).toEqual([
      'crm.leads',
      'crm.deals',
    ]);
  });

  it('logs a slow query without a plan when it has no SQL or no explain callback', async () => {
    const { instrumentQuery, logger } = setup({ slowQueryMs: 0 });
    await instrumentQuery('opaque', () => Promise.resolve(null));
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('reports a failed query with failed: true and rethrows its error unchanged', async () => {
    const { instrumentQuery, events } = setup();
    const error = new Error('connection reset');
    await expect(instrumentQuery('tasks.open', () => Promise.reject(error))).rejects.toBe(error);
    expect(events[0]).toMatchObject({ name: 'tasks.open', failed: true, rows: undefined });
  });

  it('logs, rather than throws, when EXPLAIN itself fails', async () => {
    const { instrumentQuery, logger } = setup({
      slowQueryMs: 0,
      explain: () => Promise.reject(new Error('permission denied')),
    });
    await instrumentQuery('x', drizzleLike([]));
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        'EXPLAIN ANALYZE failed for slow query "x"',
        expect.objectContaining({ error: 'permission denied' }),
      ),
    );
  });

  it('refuses bad options with a ConfigurationError naming them', () => {
    expect(() => createQueryInstrumentation({ slowQueryMs: -1 })).toThrow(/slowQueryMs/);
    expect(() => createQueryInstrumentation({ logger: {} as never })).toThrow(
      /logger: must have a warn method/,
    );
  });
});
