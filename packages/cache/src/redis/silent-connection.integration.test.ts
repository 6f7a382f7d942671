import { describeWithService, startTcpFaultProxy, type TcpFaultProxy } from '@neptune/core/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dropPrefix, redisTestPrefix } from '../../test/helpers/redis-test-prefix';
import { type Cache, createCache } from '../create-cache';
import { redisCacheBus } from './redis-cache-bus';
import { redisKeyValueStore } from './redis-key-value-store';

const acme = { workspaceId: 'acme' };

// A black-holed connection: the proxy accepts and never answers, and a connection it black-holed stays
// dead for good, also after the test restores the proxy (as a socket behind a broken route does). Only
// a client that replaces its connection recovers.
describeWithService('REDIS_URL', 'a Redis connection that goes silent', (redisUrl) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });

  async function proxied(): Promise<{ proxy: TcpFaultProxy; url: string }> {
    const target = new URL(redisUrl);
    const proxy = await startTcpFaultProxy({ host: target.hostname, port: Number(target.port || 6379) });
    cleanups.push(() => proxy.close());
    return { proxy, url: `redis://${proxy.host}:${proxy.port}${target.pathname}` };
  }

  function instance(url: string, prefix: string, channel: string): Cache {
    const store = redisKeyValueStore({
      url,
      prefix,
      // Generous for a loaded CI machine: only a silent connection ever takes this long.
      clientOptions: { commandTimeout: 1_500, connectTimeout: 1_500, retryStrategy: () => 20 },
    });
    const cache = createCache({
      store,
      memoryTier: true,
      storeTimeoutMs: 1_000,
      breaker: { failureThreshold: 2, openMs: 200 },
      bus: redisCacheBus({ client: store.client, channel, heartbeatMs: 500 }),
    });
    cleanups.push(
      () => store.close(),
      () => cache.close(),
    );
    return cache;
  }

  it('replaces the silent connection, so calls succeed again once Redis answers', {
    timeout: 60_000,
  }, async () => {
    const { proxy, url } = await proxied();
    const store = redisKeyValueStore({
      url,
      prefix: redisTestPrefix(),
      clientOptions: { commandTimeout: 1_000, retryStrategy: () => 20 },
    });
    cleanups.push(() => store.close());
    await store.set(acme, 'k', 'v');

    await proxy.setMode('black-hole');
    await expect(store.get(acme, 'k')).rejects.toThrow();
    await proxy.setMode('pass');
    // The first connection is dead for good; only a new one can answer.
    await vi.waitFor(async () => expect(await store.get(acme, 'k')).toBe('v'), {
      timeout: 10_000,
      interval: 50,
    });
    expect(proxy.connectionsAccepted).toBeGreaterThan(1);
  });

  it('delivers an invalidation made while Redis was silent to the other instances after recovery', {
    timeout: 60_000,
  }, async () => {
    const { proxy, url } = await proxied();
    const admin = new Redis(redisUrl);
    const prefix = redisTestPrefix();
    cleanups.push(
      () => admin.quit(),
      () => dropPrefix(admin, prefix),
    );
    const channel = `${prefix}bus`;
    const [writer, reader] = [instance(url, prefix, channel), instance(url, prefix, channel)];
    await Promise.all([writer.ready, reader.ready]);
    expect(await writer.getOrSet(acme, 'crm', async () => 'old')).toBe('old');
    expect(await reader.getOrSet(acme, 'crm', async () => 'unused')).toBe('old');

    await proxy.setMode('black-hole');
    await writer.invalidate(acme, 'crm'); // never throws: kept until the store answers
    // Meanwhile the reader serves what its first tier holds: nothing has told it otherwise.
    expect(await reader.getOrSet(acme, 'crm', async () => 'new')).toBe('old');

    await proxy.setMode('pass');
    // Traffic goes on; the writer's breaker probes, its connection is replaced, and the invalidation
    // reaches the store and then the reader.
    await vi.waitFor(
      async () => {
        await writer.get(acme, 'crm');
        expect(await reader.getOrSet(acme, 'crm', async () => 'new')).toBe('new');
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(await writer.getOrSet(acme, 'crm', async () => 'newer')).not.toBe('old');
  });
});

describe('silent connection helpers', () => {
  it('names the ioredis timeout message it reacts to', async () => {
    const { isCommandTimeout } = await import('./stalled-connection');
    expect(isCommandTimeout(new Error('Command timed out'))).toBe(true);
    expect(isCommandTimeout(new Error('Connection is closed.'))).toBe(false);
  });
});
