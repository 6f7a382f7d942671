import { ConfigurationError, StoreError } from '@neptune/core';
import { describeWithService, randomTestId, startTcpFaultProxy } from '@neptune/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteByPrefix } from '../../test/helpers/delete-by-prefix';
import { bucketStart, DAY_MS, HOUR_MS } from '../metrics/metrics-store';
import { BASE_TIME_MS, describeMetricsStoreContract } from '../testing/describe-metrics-store-contract';
import { redisMetricsStore } from './redis-metrics-store';

describeWithService('REDIS_URL', 'redisMetricsStore on a real Redis', (url) => {
  let client: Redis;
  const prefixes = new Map<object, string>();
  beforeAll(() => {
    client = new Redis(url);
  });
  afterAll(async () => {
    await client.quit();
  });

  describeMetricsStoreContract({
    name: 'redis',
    create: () => {
      const prefix = `${randomTestId('nobs')}:`;
      const store = redisMetricsStore({ client, prefix, flushIntervalMs: 0 });
      prefixes.set(store, prefix);
      return store;
    },
    cleanup: (store) => deleteByPrefix(client, prefixes.get(store)!),
  });

  describe('shared buckets', () => {
    it('adds the figures of several instances into the same buckets, scoped and expiring', async () => {
      const prefix = `${randomTestId('nobs')}:`;
      const instances = [0, 1, 2].map(() => redisMetricsStore({ client, prefix, flushIntervalMs: 0 }));
      try {
        instances.forEach((store, index) => {
          const writer = store.writer('acme', BASE_TIME_MS);
          writer.increment('requests', index + 1);
          writer.observe('request.duration-ms', 100 * (index + 1));
        });
        await Promise.all(instances.map((store) => store.flush()));
        const [bucket] = await instances[0]!.read({
          view: { workspaceId: 'acme' },
          resolution: 'hour',
          fromMs: BASE_TIME_MS,
          toMs: BASE_TIME_MS,
        });
        expect(bucket!.aggregate.counter('requests')).toBe(6);
        const histogram = bucket!.aggregate.histograms.get('request.duration-ms')!;
        expect(histogram.count).toBe(3);
        expect(histogram.quantile(0.5)).toBeCloseTo(200, -1);

        const hourKey = `${prefix}ws:acme:shared:metrics:h:${BASE_TIME_MS}`;
        expect(await client.hget(hourKey, 'c:requests')).toBe('6');
        // Retention counts from the bucket's end: an absolute expiry, whatever the time of the write.
        expect(await client.pexpiretime(hourKey)).toBe(BASE_TIME_MS + HOUR_MS + 8 * 24 * HOUR_MS);
        expect(await client.exists(`${prefix}all:metrics:h:${BASE_TIME_MS}`)).toBe(1);
        const dayStart = bucketStart(BASE_TIME_MS, 'day');
        const dayKey = `${prefix}ws:acme:shared:metrics:d:${dayStart}`;
        expect(await client.hget(dayKey, 'c:requests')).toBe('6');
        expect(await client.pexpiretime(dayKey)).toBe(dayStart + DAY_MS + 90 * DAY_MS);
      } finally {
        await deleteByPrefix(client, prefix);
        await Promise.all(instances.map((store) => store.close()));
      }
    });

    it('rejects a flush with a StoreError when Redis cannot be reached', async () => {
      const unreachable = new Redis({
        port: 1,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      });
      unreachable.on('error', () => {});
      const store = redisMetricsStore({ client: unreachable, flushIntervalMs: 0 });
      store.writer('acme', Date.now()).increment('requests');
      await expect(store.flush()).rejects.toSatisfy(
        (error) =>
          StoreError.isInstance(error) && /kept and written on the next flush/.test((error as Error).message),
      );
      unreachable.disconnect();
    });

    it('loses only the bad event when one error names an invalid workspace, never the whole flush', async () => {
      const prefix = `${randomTestId('nobs')}:`;
      const store = redisMetricsStore({ client, prefix, flushIntervalMs: 0 });
      try {
        for (let request = 0; request < 50; request++) {
          store.writer(request % 2 === 0 ? 'acme' : 'globex', BASE_TIME_MS).increment('requests');
        }
        const base = { timestamp: BASE_TIME_MS, source: 'test', code: 'timeout', retryable: true };
        store.recordError({ ...base, workspaceId: 'bad:id' });
        store.recordError({ ...base, workspaceId: 'acme' });
        await store.flush();
        const range = { resolution: 'hour', fromMs: BASE_TIME_MS, toMs: BASE_TIME_MS } as const;
        const [acme] = await store.read({ view: { workspaceId: 'acme' }, ...range });
        const [all] = await store.read({ view: { allWorkspaces: true }, ...range });
        expect(acme!.aggregate.counter('requests')).toBe(25);
        expect(all!.aggregate.counter('requests')).toBe(50);
        expect(await store.recentErrors({ allWorkspaces: true }, 10)).toHaveLength(2);
        expect(await store.recentErrors({ workspaceId: 'acme' }, 10)).toHaveLength(1);
      } finally {
        await deleteByPrefix(client, prefix);
        await store.close();
      }
    });

    it('counts a batch once when its reply is lost and the flush is retried', async () => {
      const target = new URL(url);
      const proxy = await startTcpFaultProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const proxied = new Redis({
        host: proxy.host,
        port: proxy.port,
        db: Number(target.pathname.slice(1) || 0),
        commandTimeout: 300,
        maxRetriesPerRequest: 1,
      });
      proxied.on('error', () => {});
      const prefix = `${randomTestId('nobs')}:`;
      const store = redisMetricsStore({ client: proxied, prefix, flushIntervalMs: 0 });
      try {
        await proxied.ping();
        store.writer('acme', BASE_TIME_MS).increment('requests', 7);
        // Redis runs the write, and its reply never comes back.
        await proxy.setMode('drop-replies');
        await expect(store.flush()).rejects.toSatisfy((error) => StoreError.isInstance(error));
        const hourKey = `${prefix}ws:acme:shared:metrics:h:${BASE_TIME_MS}`;
        expect(await client.hget(hourKey, 'c:requests')).toBe('7');

        await proxy.setMode('pass');
        proxied.disconnect(true); // the dead connection is replaced, as the flush's caller would do
        store.writer('acme', BASE_TIME_MS).increment('requests', 1);
        await store.flush();
        expect(await client.hget(hourKey, 'c:requests')).toBe('8');
      } finally {
        await deleteByPrefix(client, prefix);
        await store.close().catch(() => {});
        proxied.disconnect();
        await proxy.close();
      }
    });

    it('replaces its own connection when Redis goes silent, and writes the kept figures after', async () => {
      const target = new URL(url);
      const proxy = await startTcpFaultProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const prefix = `${randomTestId('nobs')}:`;
      const store = redisMetricsStore({
        url: `redis://${proxy.host}:${proxy.port}${target.pathname}`,
        clientOptions: { commandTimeout: 300, retryStrategy: () => 20 },
        prefix,
        flushIntervalMs: 0,
      });
      try {
        await store.client.ping();
        store.writer('acme', BASE_TIME_MS).increment('requests', 3);
        await proxy.setMode('black-hole');
        await expect(store.flush()).rejects.toSatisfy((error) => StoreError.isInstance(error));
        await proxy.setMode('pass');
        // The black-holed connection stays dead; only a replaced one can write.
        await vi.waitFor(() => store.flush(), { timeout: 10_000, interval: 100 });
        expect(await client.hget(`${prefix}ws:acme:shared:metrics:h:${BASE_TIME_MS}`, 'c:requests')).toBe(
          '3',
        );
      } finally {
        await deleteByPrefix(client, prefix);
        await store.close().catch(() => {});
        await proxy.close();
      }
    });

    it('refuses bad options with a ConfigurationError naming the option', () => {
      expect(() => redisMetricsStore({ client, flushIntervalMs: -1 })).toThrow(ConfigurationError);
      expect(() => redisMetricsStore({ client, flushIntervalMs: -1 })).toThrow(/flushIntervalMs/);
    });
  });
});
