import { TimeoutError } from '@neptune/core';
import {
  describeWithService,
  randomTestId,
  startTcpFaultProxy,
  type TcpFaultProxy,
} from '@neptune/core/testing';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresKeywordIndex } from './postgres-keyword-index';

/**
 * Issue 15 item 3: the Postgres chunk stores bound every call. node-postgres reaches the real Postgres
 * through a TCP proxy; switched to black-hole it accepts and never answers, freezing open connections.
 */
describeWithService(
  'DATABASE_URL',
  'Postgres chunk stores behind a frozen connection (DATABASE_URL)',
  (url) => {
    const schema = randomTestId('neptune_').toLowerCase();
    let proxy: TcpFaultProxy;
    let pool: pg.Pool;
    const pools: pg.Pool[] = [];
    const proxiedPool = () => {
      const proxied = new URL(url);
      proxied.host = `${proxy.host}:${proxy.port}`;
      const created = new pg.Pool({ connectionString: proxied.toString(), max: 2 });
      pools.push(created);
      return created;
    };
    beforeAll(async () => {
      const target = new URL(url);
      proxy = await startTcpFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
      pool = proxiedPool();
    });
    afterAll(async () => {
      await proxy?.close();
      await Promise.all(pools.map((each) => each.end().catch(() => {})));
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    });

    it('fails a search with a retryable TimeoutError when the connection freezes', async () => {
      // Set up with the default bound, so that a slow machine does not fail the set-up.
      const setUp = postgresKeywordIndex({ db: drizzle(pool), schema });
      await setUp.ensureSchema();
      await setUp.add({ workspaceId: 'acme' }, [{ id: 'd1', text: 'refunds within five days' }]);
      const index = postgresKeywordIndex({ db: drizzle(pool), schema, queryTimeoutMs: 300 });
      await proxy.setMode('black-hole');
      const error = await index
        .search({ workspaceId: 'acme' }, { query: 'refunds', topK: 3 })
        .catch((caught: unknown) => caught);
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as TimeoutError).isRetryable).toBe(true);
      expect((error as Error).message).toMatch(/postgresKeywordIndex\.search(\.\w+)? on .* got no answer/);
      // Restored: frozen connections stay dead (as behind a broken route); a new connection answers.
      await proxy.setMode('pass');
      const restored = postgresKeywordIndex({ db: drizzle(proxiedPool()), schema });
      expect(await restored.search({ workspaceId: 'acme' }, { query: 'refunds', topK: 3 })).toHaveLength(1);
    }, 15_000);
  },
);
