import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KeyValueStore } from '@neptune/core';
import { describeWithService } from '@neptune/core/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPort, startFaultProxy } from '../test/helpers/fault-proxy';
import { dropPrefix, redisTestPrefix } from '../test/helpers/redis-test-prefix';
import { createCache } from './create-cache';
import { redisCacheBus } from './redis/redis-cache-bus';
import { redisKeyValueStore } from './redis/redis-key-value-store';
import { startUpstashRestServer, type UpstashRestServer } from './testing/upstash-rest-server';
import { upstashKeyValueStore } from './upstash/upstash-key-value-store';

const acme = { workspaceId: 'acme' };
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const workerPath = fileURLToPath(new URL('../test/helpers/stampede-worker.ts', import.meta.url));

describeWithService('REDIS_URL', 'createCache on real Redis', (redisUrl) => {
  const admin = new Redis(redisUrl);
  const cleanups: Array<() => Promise<unknown>> = [];
  let upstash: UpstashRestServer;
  beforeAll(async () => {
    upstash = await startUpstashRestServer({ redisUrl });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await upstash.close();
    await admin.quit();
  });

  /** A store on a fresh prefix, dropped after the test. */
  function redisStore(url = redisUrl, prefix = redisTestPrefix()) {
    const store = redisKeyValueStore({ url, prefix, clientOptions: { retryStrategy: () => 20 } });
    cleanups.push(
      () => dropPrefix(admin, prefix),
      () => store.close(),
    );
    return store;
  }

  const backends: Array<[string, (prefix: string) => KeyValueStore]> = [
    ['redis', (prefix) => redisStore(redisUrl, prefix)],
    ['upstash', (prefix) => upstashKeyValueStore({ url: upstash.url, token: upstash.token, prefix })],
  ];

  describe.each(backends)('on %s', (_name, createStore) => {
    it('two cache instances sharing the store run the loader once for concurrent misses', async () => {
      const prefix = redisTestPrefix();
      cleanups.push(() => dropPrefix(admin, prefix));
      // A generous store timeout: on a loaded test machine a slow answer would (rightly) bypass the lock.
      const make = () => createCache({ store: createStore(prefix), storeTimeoutMs: 5_000 });
      const [first, second] = [make(), make()];
      const loader = vi.fn(async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { leads: 3, at: new Date(0) };
      });
      const values = await Promise.all([
        ...Array.from({ length: 50 }, () => first.getOrSet(acme, 'crm', loader)),
        ...Array.from({ length: 50 }, () => second.getOrSet(acme, 'crm', loader)),
      ]);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(values.every((value) => value.at instanceof Date && value.leads === 3)).toBe(true);
      await first.invalidate(acme, 'crm');
      expect(await second.getOrSet(acme, 'crm', async () => ({ leads: 4, at: new Date(1) }))).toEqual({
        leads: 4,
        at: new Date(1),
      });
      expect(await admin.exists(`${prefix}ws:acme:shared:k:context:crm`)).toBe(1);
    });
  });

  it('runs the loader once across several processes', { timeout: 30_000 }, async () => {
    const prefix = redisTestPrefix();
    const counterKey = `${prefix}loader-calls`;
    cleanups.push(() => dropPrefix(admin, prefix));
    const workers = Array.from({ length: 5 }, () =>
      spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@neptune/source', workerPath, redisUrl, prefix, counterKey],
        {
          cwd: repositoryRoot,
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      ),
    );
    const lines = workers.map((worker) => {
      const received: string[] = [];
      let buffer = '';
      worker.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        received.push(...parts);
      });
      return received;
    });
    const exited = workers.map(
      (worker) => new Promise<number | null>((resolve) => worker.on('exit', resolve)),
    );
    await vi.waitFor(() => expect(lines.every((received) => received.includes('ready'))).toBe(true), {
      timeout: 20_000,
      interval: 50,
    });
    for (const worker of workers) worker.stdin.end('go\n');
    expect(await Promise.all(exited)).toEqual(Array(5).fill(0));
    const results = lines.map((received) => JSON.parse(received[1] ?? 'null'));
    expect(await admin.get(counterKey)).toBe('1');
    expect(new Set(results.map((result) => JSON.stringify(result.value))).size).toBe(1);
  });

  it('serves from the loader while the store hangs, opens the breaker, and recovers by probing', async () => {
    const proxy = await startFaultProxy(redisUrl);
    cleanups.push(() => proxy.close());
    let now = 1_700_000_000_000;
    const prefix = redisTestPrefix();
    const cache = createCache({
      store: redisStore(proxy.url, prefix),
      storeTimeoutMs: 100,
      breaker: { failureThreshold: 3, openMs: 1_000 },
      now: () => now,
    });
    expect(await cache.getOrSet(acme, 'crm', async () => 'cached')).toBe('cached');
    expect(await cache.getOrSet(acme, 'crm', async () => 'not needed')).toBe('cached');

    proxy.setMode('hang');
    const loader = vi.fn(async () => 'from the database');
    for (let request = 0; request < 10; request++) {
      expect(await cache.getOrSet(acme, 'crm', loader)).toBe('from the database');
    }
    expect(loader).toHaveBeenCalledTimes(10);
    const whileOpen = cache.stats();
    expect(whileOpen.breaker).toBe('open');
    expect(whileOpen.breakerOpened).toBe(1);
    expect(whileOpen.total.storeErrors).toBe(3);
    // Written while the store is down: kept, and applied once it answers again.
    await cache.invalidate(acme, 'crm');

    proxy.setMode('forward');
    now += 1_000;
    await vi.waitFor(
      async () => {
        now += 1_000;
        expect(await cache.getOrSet(acme, 'crm', async () => 'fresh after the outage')).toBe(
          'fresh after the outage',
        );
        expect(cache.stats().breaker).toBe('closed');
      },
      { timeout: 10_000, interval: 100 },
    );
    // The invalidation reached Redis, so instances that never saw the outage honour it too.
    expect(await admin.exists(`${prefix}ws:acme:shared:k:context-stamp:kind:crm`)).toBe(1);
  });

  it('serves from the loader when the store refuses connections, and counts the errors', async () => {
    const proxy = await startFaultProxy(redisUrl);
    cleanups.push(() => proxy.close());
    const prefix = redisTestPrefix();
    const cache = createCache({
      store: redisStore(proxy.url, prefix),
      storeTimeoutMs: 200,
      breaker: { failureThreshold: 2 },
    });
    await cache.getOrSet(acme, 'crm', async () => 'before');
    proxy.setMode('refuse');
    const values = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        cache.getOrSet(acme, { kind: 'crm', id: String(index) }, async () => index),
      ),
    );
    expect(values).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(cache.stats().total.storeErrors).toBeGreaterThanOrEqual(2);
    expect(cache.stats().breaker).toBe('open');

    const nothingListens = createCache({
      store: redisStore(`redis://127.0.0.1:${await closedPort()}`),
      storeTimeoutMs: 200,
    });
    expect(await nothingListens.getOrSet(acme, 'crm', async () => 'still served')).toBe('still served');
    await expect(nothingListens.invalidate(acme, 'crm')).resolves.toBeUndefined();
    expect(nothingListens.stats().total.storeErrors).toBeGreaterThanOrEqual(1);
  });

  it('keeps first tiers coherent across instances through Redis pub/sub', async () => {
    const prefix = redisTestPrefix();
    const channel = `${prefix}bus`;
    const make = () => {
      const store = redisStore(redisUrl, prefix);
      const cache = createCache({
        store,
        memoryTier: true,
        bus: redisCacheBus({ client: store.client, channel }),
      });
      cleanups.push(() => cache.close());
      return cache;
    };
    const [writer, reader] = [make(), make()];
    await Promise.all([writer.ready, reader.ready]);
    await writer.getOrSet(acme, 'crm', async () => 'v1');
    expect(await reader.getOrSet(acme, 'crm', async () => 'unused')).toBe('v1');
    // Now in the reader's memory tier: a plain read never reaches Redis.
    expect(await reader.getOrSet(acme, 'crm', async () => 'unused')).toBe('v1');
    expect(reader.stats().kinds.crm?.hits).toBe(2);

    await writer.invalidate(acme, 'crm');
    await vi.waitFor(async () => expect(await reader.getOrSet(acme, 'crm', async () => 'v2')).toBe('v2'));
    await writer.set(acme, 'crm', 'v3');
    await vi.waitFor(async () => expect(await reader.get(acme, 'crm')).toBe('v3'));
  });
});
