import { describeKeyValueStoreConformance, describeWithService } from '@neptune/core/testing';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, redisTestPrefix } from '../../test/helpers/redis-test-prefix';
import { startUpstashRestServer, type UpstashRestServer } from '../testing/upstash-rest-server';
import { type UpstashKeyValueStore, upstashKeyValueStore } from './upstash-key-value-store';

describeWithService('REDIS_URL', 'upstashKeyValueStore', (redisUrl) => {
  let server: UpstashRestServer;
  const admin = new Redis(redisUrl);
  const prefixes = new WeakMap<UpstashKeyValueStore, string>();
  beforeAll(async () => {
    server = await startUpstashRestServer({ redisUrl });
  });
  afterAll(async () => {
    await server.close();
    await admin.quit();
  });

  describeKeyValueStoreConformance({
    name: 'upstash (REST, through the real @upstash/redis client)',
    create: () => {
      const prefix = redisTestPrefix();
      const store = upstashKeyValueStore({ url: server.url, token: server.token, prefix });
      prefixes.set(store, prefix);
      return store;
    },
    destroy: async (store) => {
      await dropPrefix(admin, prefixes.get(store as UpstashKeyValueStore) ?? 'never-matches');
    },
    capabilities: { nativeTtl: true, atomic: true, shared: true },
  });

  describe('upstashKeyValueStore wire and options', () => {
    it('speaks the REST protocol: single commands, pipelines and multi-exec all reach the server', async () => {
      const prefix = redisTestPrefix();
      const store = upstashKeyValueStore({ url: server.url, token: server.token, prefix });
      const before = { ...server.requests };
      const scope = { workspaceId: 'acme' };
      await Promise.all([store.set(scope, 'a', '1'), store.set(scope, 'b', '2')]);
      expect(await store.increment(scope, 'n', { ttlMs: 10_000 })).toBe(1);
      expect(await store.getMany(scope, ['a', 'b'])).toEqual(['1', '2']);
      const sent = (path: string) => (server.requests[path] ?? 0) - (before[path] ?? 0);
      expect(sent('/multi-exec')).toBe(1);
      expect(sent('/pipeline') + sent('/')).toBeGreaterThan(0);
      expect(await admin.pttl(`${prefix}ws:acme:shared:k:n`)).toBeGreaterThan(0);
      await dropPrefix(admin, prefix);
    });

    it('fails with the server error when the token is wrong', async () => {
      const store = upstashKeyValueStore({ url: server.url, token: 'wrong', prefix: redisTestPrefix() });
      await expect(store.get({ workspaceId: 'acme' }, 'k')).rejects.toThrow(/Unauthorized/);
    });

    it('refuses a client that would parse stored strings as JSON', () => {
      const client = new UpstashRedis({ url: server.url, token: server.token });
      expect(() => upstashKeyValueStore({ client })).toThrow(/automaticDeserialization: false/);
    });

    it('names both the option and the environment variable when the URL is missing', () => {
      const saved = process.env.UPSTASH_REDIS_REST_URL;
      delete process.env.UPSTASH_REDIS_REST_URL;
      try {
        expect(() => upstashKeyValueStore({ token: 't' })).toThrow(
          /`url` option or set the UPSTASH_REDIS_REST_URL/,
        );
      } finally {
        if (saved !== undefined) process.env.UPSTASH_REDIS_REST_URL = saved;
      }
    });
  });
});
