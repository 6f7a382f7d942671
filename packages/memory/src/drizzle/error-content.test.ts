import { inspect } from 'node:util';
import { StoreError } from '@neptune/core';
import { startTcpFaultProxy } from '@neptune/core/testing';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { drizzleConversationStore } from './drizzle-conversation-store';

// Issue 15 item 6: with Postgres unreachable, a failed write must not carry the message it was writing.
describe('drizzle memory stores with Postgres unreachable', () => {
  const pools: pg.Pool[] = [];
  afterAll(() => Promise.all(pools.map((pool) => pool.end())));

  it('fail with a retryable StoreError that carries no stored content, in message, cause or log', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: await refusedPort(), user: 'x', database: 'x' });
    pools.push(pool);
    const store = drizzleConversationStore({ db: drizzle(pool) });
    const user = { workspaceId: 'w', userId: 'u' };
    const secret = `diary entry kumquat-${'x'.repeat(12_000)}`;
    const error = await store.appendMessages(user, 'c1', [{ role: 'user', content: secret }]).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as StoreError).isRetryable).toBe(true);
    expect((error as StoreError).message).toMatch(/ECONNREFUSED/);
    expect(inspect(error, { depth: 20 })).not.toContain('kumquat');
    expect(JSON.stringify(error)).not.toContain('kumquat');
  });
});

/** A port that refuses connections, as a Postgres that is down does: the fault proxy in `refuse` mode. */
async function refusedPort(): Promise<number> {
  const proxy = await startTcpFaultProxy({ host: '127.0.0.1', port: 1 });
  const { port } = proxy;
  await proxy.setMode('refuse');
  return port;
}
