import { inspect } from 'node:util';
import { createTelemetryChannel, type NeptuneEvent, StoreError } from '@neptune/core';
import { startTcpFaultProxy } from '@neptune/core/testing';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresKeywordIndex } from './postgres-keyword-index';

// Issue 15 item 6: a failed keyword add must not carry the document it was adding (error or telemetry).
describe('Postgres chunk stores with Postgres unreachable', () => {
  const pools: pg.Pool[] = [];
  afterAll(() => Promise.all(pools.map((pool) => pool.end())));

  it('fail with a retryable StoreError carrying no document text, in the error, its causes or the event', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: await refusedPort(), user: 'x', database: 'x' });
    pools.push(pool);
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const index = postgresKeywordIndex({ db: drizzle(pool), telemetry });
    const text = `quarterly kumquat plan ${'y'.repeat(12_000)}`;
    const error = await index.add({ workspaceId: 'w' }, [{ id: 'd1', text }]).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as StoreError).isRetryable).toBe(true);
    expect(inspect(error, { depth: 20 })).not.toContain('kumquat');
    expect(events.some((event) => event.type === 'error')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('kumquat');
  });
});

/** A port that refuses connections, as a Postgres that is down does: the fault proxy in `refuse` mode. */
async function refusedPort(): Promise<number> {
  const proxy = await startTcpFaultProxy({ host: '127.0.0.1', port: 1 });
  const { port } = proxy;
  await proxy.setMode('refuse');
  return port;
}
