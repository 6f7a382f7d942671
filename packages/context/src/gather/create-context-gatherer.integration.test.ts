import { createCache } from '@neptune/cache';
import { type RedisKeyValueStore, redisKeyValueStore } from '@neptune/cache/redis';
import { createTelemetryChannel, type NeptuneEventOf, type Scope } from '@neptune/core';
import { createQueryInstrumentation, pgExplainAnalyze } from '@neptune/core/postgres';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createContextGatherer } from './create-context-gatherer';
import { defineContextSource } from './define-context-source';

const taskRow = z.object({ id: z.number(), title: z.string(), due_at: z.date() });

describeWithService('REDIS_URL', 'context gathering on real Redis', (redisUrl) => {
  describeWithService('DATABASE_URL', 'and real PostgreSQL', (databaseUrl) => {
    const schema = randomTestId('ctx_');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const telemetry = createTelemetryChannel();
    const queries: NeptuneEventOf<'db-query'>[] = [];
    telemetry.on('db-query', (event) => queries.push(event));
    const logger = { warn: vi.fn() };
    const instrumentQuery = createQueryInstrumentation({
      telemetry,
      logger,
      slowQueryMs: 10_000,
      explain: pgExplainAnalyze(pool),
    });
    const stores: Array<{ store: RedisKeyValueStore; prefix: string }> = [];

    /** A store on a fresh prefix (another app instance shares it by passing the same prefix). */
    function redisStore(prefix = `${randomTestId('neptune-ctx-')}:`) {
      const store = redisKeyValueStore({ url: redisUrl, prefix });
      stores.push({ store, prefix });
      return { store, prefix };
    }

    const tasksSource = defineContextSource({
      kind: 'tasks',
      ttlMs: 60_000,
      scope: 'user',
      limit: 10,
      schema: taskRow,
      load: async (scope: Scope, { limit }) => {
        const result = await instrumentQuery(
          'tasks.open',
          () =>
            pool.query(
              `SELECT id, title, due_at FROM "${schema}".tasks
               WHERE workspace_id = $1 AND user_id = $2 AND status = 'open' ORDER BY due_at LIMIT $3`,
              [scope.workspaceId, scope.userId, limit],
            ),
          { scope },
        );
        return result.rows;
      },
      toItem: (row) => ({ id: row.id, type: 'task', title: row.title, dueAt: row.due_at }),
    });

    beforeAll(async () => {
      await pool.query(`CREATE SCHEMA "${schema}"`);
      await pool.query(`CREATE TABLE "${schema}".tasks (
        id serial PRIMARY KEY, workspace_id text NOT NULL, user_id text NOT NULL, title text NOT NULL,
        status text NOT NULL DEFAULT 'open', due_at timestamptz NOT NULL)`);
      await pool.query(`CREATE INDEX ON "${schema}".tasks (workspace_id, user_id, status, due_at)`);
      await pool.query(
        `INSERT INTO "${schema}".tasks (workspace_id, user_id, title, due_at) VALUES
         ('acme', 'ann', 'Send Acme the quote', now() - interval '1 day'),
         ('acme', 'ann', 'Book the venue', now() + interval '2 days'),
         ('globex', 'ann', 'Globex private task', now())`,
      );
    });
    afterEach(async () => {
      queries.length = 0;
      logger.warn.mockClear();
      for (const { store, prefix } of stores.splice(0)) {
        await dropPrefix(store, prefix);
        await store.close();
      }
    });
    afterAll(async () => {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    });

    const ann: Scope = { workspaceId: 'acme', userId: 'ann' };

    it('loads from Postgres once, then serves every instance sharing the Redis cache without a query', async () => {
      const { store, prefix } = redisStore();
      const gatherer = createContextGatherer({
        sources: [tasksSource],
        cache: createCache({ store, telemetry }),
      });
      const first = await gatherer.gather(ann);
      expect(first.items.map((item) => item.title)).toEqual(['Send Acme the quote', 'Book the venue']);
      expect(first.sources[0]).toMatchObject({ status: 'ok', cached: false });
      expect(queries.map((event) => event.name)).toEqual(['tasks.open']);
      expect(queries[0]).toMatchObject({ rows: 2, slow: false, scope: ann });

      const again = await gatherer.gather(ann);
      const { store: sameRedis } = redisStore(prefix);
      const otherInstance = createContextGatherer({
        sources: [tasksSource],
        cache: createCache({ store: sameRedis }),
      });
      const elsewhere = await otherInstance.gather(ann);
      expect(again.cacheHits).toBe(1);
      expect(elsewhere.cacheHits).toBe(1);
      expect(elsewhere.items).toEqual(first.items);
      expect(queries).toHaveLength(1);
    });

    it('sees a write after invalidate, and never shows one workspace the tasks of another', async () => {
      const { store } = redisStore();
      const gatherer = createContextGatherer({ sources: [tasksSource], cache: createCache({ store }) });
      await gatherer.gather(ann);
      await pool.query(`UPDATE "${schema}".tasks SET status = 'done' WHERE title = 'Send Acme the quote'`);
      await gatherer.invalidate({ workspaceId: 'acme' }, 'tasks');
      const after = await gatherer.gather(ann);
      expect(after.items.map((item) => item.title)).toEqual(['Book the venue']);
      await pool.query(`UPDATE "${schema}".tasks SET status = 'open'`);

      const globex = await gatherer.gather({ workspaceId: 'globex', userId: 'ann' });
      expect(globex.items.map((item) => item.title)).toEqual(['Globex private task']);
      expect(JSON.stringify(after)).not.toContain('Globex');
    });

    it('reports a source whose query fails and keeps the others', async () => {
      const { store } = redisStore();
      const missing = defineContextSource({
        kind: 'finance',
        ttlMs: 60_000,
        schema: z.object({ id: z.number() }),
        load: async (scope) =>
          (
            await instrumentQuery('finance.invoices', () =>
              pool.query(`SELECT id FROM "${schema}".invoices WHERE workspace_id = $1 LIMIT 5`, [
                scope.workspaceId,
              ]),
            )
          ).rows,
        toItem: (row) => ({ id: row.id, title: 'invoice' }),
      });
      const gatherer = createContextGatherer({
        sources: [tasksSource, missing],
        cache: createCache({ store }),
      });
      const result = await gatherer.gather(ann);
      expect(result.failed).toEqual(['finance']);
      expect(result.sources[1]!.error!.message).toMatch(/invoices" does not exist/);
      expect(result.items).toHaveLength(2);
      expect(queries.find((event) => event.name === 'finance.invoices')).toMatchObject({ failed: true });
    });

    it('still gathers from Postgres when Redis is unreachable', async () => {
      const down = redisKeyValueStore({
        url: 'redis://127.0.0.1:1',
        clientOptions: { retryStrategy: () => null, connectTimeout: 200, lazyConnect: true },
      });
      const gatherer = createContextGatherer({
        sources: [tasksSource],
        cache: createCache({ store: down, storeTimeoutMs: 50 }),
      });
      const result = await gatherer.gather(ann);
      expect(result.sources[0]).toMatchObject({ status: 'ok', items: 2 });
      await down.close();
    });

    it("logs a slow query's EXPLAIN ANALYZE plan", async () => {
      const slowLogger = { warn: vi.fn() };
      const timed = createQueryInstrumentation({
        telemetry,
        logger: slowLogger,
        slowQueryMs: 10,
        explain: pgExplainAnalyze(pool),
      });
      const sql = `SELECT pg_sleep(0.05), id FROM "${schema}".tasks WHERE workspace_id = $1`;
      await timed('tasks.slow', () => pool.query(sql, ['acme']), { statement: { sql, params: ['acme'] } });
      expect(queries.at(-1)).toMatchObject({ name: 'tasks.slow', slow: true });
      await vi.waitFor(() => expect(slowLogger.warn).toHaveBeenCalledTimes(2));
      const [message, fields] = slowLogger.warn.mock.calls[1]!;
      expect(message).toBe('EXPLAIN ANALYZE for slow query "tasks.slow"');
      expect(fields.plan).toMatch(/Execution Time/);
      expect(fields.plan).toMatch(/tasks/);
    });

    it('runs EXPLAIN ANALYZE read-only, so a slow write is never run a second time', async () => {
      const explain = pgExplainAnalyze(pool);
      const before = await pool.query(`SELECT count(*)::int AS count FROM "${schema}".tasks`);
      await expect(
        explain({
          sql: `INSERT INTO "${schema}".tasks (workspace_id, user_id, title, due_at) VALUES ($1, 'ann', 'x', now())`,
          params: ['acme'],
        }),
      ).rejects.toThrow(/read-only transaction/);
      const after = await pool.query(`SELECT count(*)::int AS count FROM "${schema}".tasks`);
      expect(after.rows[0].count).toBe(before.rows[0].count);
    });
  });
});

/** Deletes every key under the test's random prefix, with SCAN (never KEYS). */
async function dropPrefix(store: RedisKeyValueStore, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await store.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await store.client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
