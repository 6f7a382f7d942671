import { describeKeyValueStoreConformance, describeWithService } from '@neptune/core/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, redisTestPrefix } from '../../test/helpers/redis-test-prefix';
import { type RedisKeyValueStore, redisKeyValueStore } from './redis-key-value-store';

describeWithService('REDIS_URL', 'redisKeyValueStore', (url) => {
  const admin = new Redis(url);
  const prefixes = new WeakMap<RedisKeyValueStore, string>();
  afterAll(() => admin.quit());

  describeKeyValueStoreConformance({
    name: 'redis',
    create: () => {
      const prefix = redisTestPrefix();
      const store = redisKeyValueStore({ url, prefix });
      prefixes.set(store, prefix);
      return store;
    },
    destroy: async (store) => {
      await dropPrefix(admin, prefixes.get(store as RedisKeyValueStore) ?? 'never-matches');
      await store.close();
    },
    capabilities: { nativeTtl: true, atomic: true, shared: true },
  });

  describe('redisKeyValueStore options', () => {
    it('uses a given client, exposes it, and leaves it open on close', async () => {
      const client = new Redis(url);
      const prefix = redisTestPrefix();
      const store = redisKeyValueStore({ client, prefix });
      expect(store.client).toBe(client);
      await store.set({ workspaceId: 'acme' }, 'k', 'v');
      expect(await client.get(`${prefix}ws:acme:shared:k:k`)).toBe('v');
      await store.close();
      expect(await client.ping()).toBe('PONG');
      await dropPrefix(client, prefix);
      await client.quit();
    });

    it('refuses a client with keyPrefix, which SCAN would not honour', () => {
      const client = new Redis(url, { keyPrefix: 'app:', lazyConnect: true });
      expect(() => redisKeyValueStore({ client })).toThrow(/keyPrefix "app:".*`prefix` option/);
      client.disconnect();
    });
  });
});
