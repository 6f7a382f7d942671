import { AbortError, scopeKeys, TimeoutError } from '@neptune/core';
import { describeWithService, startTcpFaultProxy, type TcpFaultProxy } from '@neptune/core/testing';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type PostgresTestDatabase,
  startPostgresTestDatabase,
} from '../../test/helpers/postgres-test-database';
import { drizzleConversationStore } from './drizzle-conversation-store';
import { migrate } from './migrate';
import { MEMORY_STORE_ERROR_HINTS } from './prepare-drizzle-store';

/**
 * Issue 15 item 3: a call through a connection that stops answering ends within `queryTimeoutMs` with a
 * retryable TimeoutError, and a caller's abort ends it at once. The fault is real: node-postgres talks
 * to the real Postgres through a TCP proxy that, switched to black-hole, accepts and never answers
 * (the open connections freeze mid-conversation).
 */
describeWithService(
  'DATABASE_URL',
  'drizzle memory stores behind a frozen connection (DATABASE_URL)',
  (url) => {
    let database: PostgresTestDatabase;
    let proxy: TcpFaultProxy;
    let pool: pg.Pool;
    const extraPools: pg.Pool[] = [];
    const ana = { workspaceId: 'acme', userId: 'ana' };

    beforeAll(async () => {
      database = await startPostgresTestDatabase(url);
      await migrate(database.db);
      const target = new URL(url);
      proxy = await startTcpFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const proxied = new URL(url);
      proxied.host = `${proxy.host}:${proxy.port}`;
      pool = new pg.Pool({
        connectionString: proxied.toString(),
        max: 2,
        options: `-c search_path=${database.schema}`,
      });
    });
    afterAll(async () => {
      await proxy?.close();
      await Promise.all([pool, ...extraPools].map((each) => each?.end().catch(() => {})));
      await database?.close();
    });

    it('fails with a retryable TimeoutError when the connection freezes, and works again after', async () => {
      const store = drizzleConversationStore({ db: drizzle(pool), queryTimeoutMs: 300 });
      await store.createConversation(ana, { id: 'c1' });
      await proxy.setMode('black-hole');
      const frozen = await store
        .appendMessages(ana, 'c1', [{ role: 'user', content: 'hello' }])
        .catch((error: unknown) => error);
      expect(TimeoutError.isInstance(frozen)).toBe(true);
      expect((frozen as TimeoutError).isRetryable).toBe(true);
      expect((frozen as Error).message).toMatch(/drizzleConversationStore\.appendMessages got no answer/);
      // A new connection is accepted and never answered: bounded too.
      const freshPool = new pg.Pool({ connectionString: proxyUrl(), max: 1 });
      extraPools.push(freshPool);
      const fresh = drizzleConversationStore({ db: drizzle(freshPool), queryTimeoutMs: 300 });
      expect(TimeoutError.isInstance(await fresh.getConversation(ana, 'c1').catch((error) => error))).toBe(
        true,
      );
      // Restored: the frozen connection stays dead (as behind a broken route); a new one answers.
      await proxy.setMode('pass');
      expect(await store.getConversation(ana, 'c1')).toMatchObject({ id: 'c1' });
    }, 15_000);

    it("ends a frozen call when the caller's signal fires, through the query runner", async () => {
      const { createQueryRunner } = await import('@neptune/core/postgres/drizzle');
      const { run } = createQueryRunner({
        db: drizzle(pool),
        storeName: 'test',
        source: 'memory',
        hints: MEMORY_STORE_ERROR_HINTS,
        queryTimeoutMs: 60_000,
      });
      const controller = new AbortController();
      const pending = run(
        'select',
        scopeKeys(ana),
        () => pool.query('select 1'),
        undefined,
        controller.signal,
      );
      controller.abort();
      expect(AbortError.isInstance(await pending.catch((error: unknown) => error))).toBe(true);
    }, 15_000);

    function proxyUrl(): string {
      const proxied = new URL(url);
      proxied.host = `${proxy.host}:${proxy.port}`;
      return proxied.toString();
    }
  },
);
