// The Upstash metrics store through the real @upstash/redis client, against the local server that speaks
// Upstash's REST protocol in front of a real Redis (`@neptune/cache/testing`): the shared contract, and
// instances adding into the same buckets as a TCP client reads them.
import { startUpstashRestServer, type UpstashRestServer } from '@neptune/cache/testing';
import { StoreError } from '@neptune/core';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import { redisMetricsStore } from '@neptune/observability/redis';
import { BASE_TIME_MS, describeMetricsStoreContract } from '@neptune/observability/testing';
import { type UpstashMetricsStore, upstashMetricsStore } from '@neptune/observability/upstash';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteByPrefix } from './helpers/delete-by-prefix';

describeWithService('REDIS_URL', 'upstashMetricsStore through the Upstash REST stand-in', (redisUrl) => {
  let server: UpstashRestServer;
  const admin = new Redis(redisUrl);
  const prefixes = new Map<object, string>();
  beforeAll(async () => {
    server = await startUpstashRestServer({ redisUrl });
  });
  afterAll(async () => {
    await server.close();
    await admin.quit();
  });

  describeMetricsStoreContract({
    name: 'upstash (REST)',
    create: () => {
      const prefix = `${randomTestId('nobs')}:`;
      const store = upstashMetricsStore({ url: server.url, token: server.token, prefix, flushIntervalMs: 0 });
      prefixes.set(store, prefix);
      return store;
    },
    cleanup: (store) => deleteByPrefix(admin, prefixes.get(store)!),
  });

  describe('serverless instances', () => {
    it('adds the figures of several instances into the buckets a TCP client reads', async () => {
      const prefix = `${randomTestId('nobs')}:`;
      const instances = [1, 2, 3].map(() =>
        upstashMetricsStore({ url: server.url, token: server.token, prefix, flushIntervalMs: 0 }),
      );
      const tcp = redisMetricsStore({ url: redisUrl, prefix, flushIntervalMs: 0 });
      try {
        for (const [index, store] of instances.entries()) {
          store.writer('acme', BASE_TIME_MS).increment('requests', index + 1);
        }
        await Promise.all(instances.map((store) => store.flush()));
        const read = await tcp.read({
          view: { workspaceId: 'acme' },
          resolution: 'day',
          fromMs: BASE_TIME_MS,
          toMs: BASE_TIME_MS,
        });
        expect(read[0]!.aggregate.counter('requests')).toBe(6);
        // It went over REST: the stand-in served the writes.
        expect(Object.values(server.requests).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
      } finally {
        await deleteByPrefix(admin, prefix);
        await tcp.close();
      }
    });

    it('reads its figures through a client that parses replies (the @upstash/redis default)', async () => {
      const prefix = `${randomTestId('nobs')}:`;
      const client = new UpstashRedis({ url: server.url, token: server.token, enableTelemetry: false });
      const store: UpstashMetricsStore = upstashMetricsStore({ client, prefix, flushIntervalMs: 0 });
      try {
        store.writer('acme', BASE_TIME_MS).observe('request.duration-ms', 120);
        store.recordError({
          timestamp: BASE_TIME_MS,
          source: 'rag',
          code: 'timeout',
          retryable: true,
          workspaceId: 'acme',
        });
        const [hour] = await store.read({
          view: { workspaceId: 'acme' },
          resolution: 'hour',
          fromMs: BASE_TIME_MS,
          toMs: BASE_TIME_MS,
        });
        expect(hour!.aggregate.histograms.get('request.duration-ms')!.count).toBe(1);
        expect(await store.recentErrors({ workspaceId: 'acme' }, 5)).toMatchObject([{ code: 'timeout' }]);
        expect(store.client).toBe(client);
      } finally {
        await deleteByPrefix(admin, prefix);
      }
    });

    it('rejects a flush with a StoreError that keeps the figures when the token is wrong', async () => {
      const prefix = `${randomTestId('nobs')}:`;
      const store = upstashMetricsStore({ url: server.url, token: 'wrong', prefix, flushIntervalMs: 0 });
      store.writer('acme', BASE_TIME_MS).increment('requests');
      await expect(store.flush()).rejects.toSatisfy(
        (error) =>
          StoreError.isInstance(error) &&
          /Unauthorized.*kept and written on the next flush/.test((error as Error).message),
      );
    });

    it('names the option and the environment variable when the URL is missing', () => {
      const saved = process.env.UPSTASH_REDIS_REST_URL;
      delete process.env.UPSTASH_REDIS_REST_URL;
      try {
        expect(() => upstashMetricsStore({ token: 't' })).toThrow(
          /`url` option or set the UPSTASH_REDIS_REST_URL/,
        );
      } finally {
        if (saved !== undefined) process.env.UPSTASH_REDIS_REST_URL = saved;
      }
    });
  });
});
