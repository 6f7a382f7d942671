import type { KeyValueStore } from '@neptune/core';
import { memoryKeyValueStore, ValidationError } from '@neptune/core';
import { describeWithService } from '@neptune/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, redisTestPrefix } from '../../test/helpers/redis-test-prefix';
import { createCache } from '../create-cache';
import { redisKeyValueStore } from '../redis/redis-key-value-store';
import { startUpstashRestServer, type UpstashRestServer } from '../testing/upstash-rest-server';
import { upstashKeyValueStore } from './upstash-key-value-store';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const LONE_SURROGATES = ['a\ud800b', 'end\udc00', '\ud83d'];

/** Names that are fine for a store but are `Object.prototype` members, and strings that are not well formed. */
function describeHostileNames(name: string, create: () => KeyValueStore) {
  describe(name, () => {
    it('keeps prototype-named workspaces, keys and tags apart like any others', async () => {
      const store = create();
      for (const workspaceId of PROTOTYPE_NAMES) {
        const scope = { workspaceId };
        for (const key of PROTOTYPE_NAMES)
          await store.set(scope, key, `${workspaceId}/${key}`, { tags: [key] });
      }
      for (const workspaceId of PROTOTYPE_NAMES) {
        const scope = { workspaceId };
        for (const key of PROTOTYPE_NAMES) expect(await store.get(scope, key)).toBe(`${workspaceId}/${key}`);
        const listed: string[] = [];
        for await (const key of store.list(scope)) listed.push(key);
        expect(listed.sort()).toEqual([...PROTOTYPE_NAMES].sort());
      }
      expect(await store.deleteByTag({ workspaceId: 'constructor' }, 'toString')).toBe(1);
      expect(await store.get({ workspaceId: 'constructor' }, 'toString')).toBeUndefined();
      expect(await store.get({ workspaceId: 'toString' }, 'toString')).toBe('toString/toString');
    });

    it('refuses a lone surrogate in a key or tag with a ValidationError, before writing anything', async () => {
      const store = create();
      const scope = { workspaceId: 'acme' };
      for (const bad of LONE_SURROGATES) {
        await expect(store.set(scope, 'k', 'v', { tags: [bad] })).rejects.toBeInstanceOf(ValidationError);
        expect(await store.get(scope, 'k')).toBeUndefined();
        await expect(store.set(scope, bad, 'v')).rejects.toBeInstanceOf(ValidationError);
        await expect(store.deleteByTag(scope, bad)).rejects.toBeInstanceOf(ValidationError);
      }
    });
  });
}

describeHostileNames('memoryKeyValueStore', () => memoryKeyValueStore());

describe('createCache with hostile names', () => {
  it('counts a kind named like a prototype member in stats, and refuses lone surrogates in ids and tags', async () => {
    const cache = createCache();
    const scope = { workspaceId: 'acme' };
    for (const kind of PROTOTYPE_NAMES) {
      expect(await cache.getOrSet(scope, kind, async () => kind, { ttlMs: 1_000 })).toBe(kind);
    }
    const kinds = cache.stats().kinds;
    for (const kind of PROTOTYPE_NAMES) expect(Object.hasOwn(kinds, kind)).toBe(true);
    expect(Object.getPrototypeOf(kinds)).toBe(Object.prototype);
    for (const bad of LONE_SURROGATES) {
      await expect(cache.set(scope, { kind: 'crm', id: bad }, 'v')).rejects.toBeInstanceOf(ValidationError);
      await expect(cache.set(scope, 'crm', 'v', { tags: [bad] })).rejects.toBeInstanceOf(ValidationError);
      await expect(cache.invalidateTags(scope, [bad])).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describeWithService('REDIS_URL', 'hostile names on the shared stores', (redisUrl) => {
  let server: UpstashRestServer;
  const admin = new Redis(redisUrl);
  const prefixes: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    server = await startUpstashRestServer({ redisUrl });
  });
  afterAll(async () => {
    for (const close of closers) await close();
    for (const prefix of prefixes) await dropPrefix(admin, prefix);
    await server.close();
    await admin.quit();
  });
  const fresh = () => {
    const prefix = redisTestPrefix();
    prefixes.push(prefix);
    return prefix;
  };

  describeHostileNames('redisKeyValueStore', () => {
    const store = redisKeyValueStore({ url: redisUrl, prefix: fresh() });
    closers.push(() => store.close());
    return store;
  });
  describeHostileNames('upstashKeyValueStore', () =>
    upstashKeyValueStore({ url: server.url, token: server.token, prefix: fresh() }),
  );
});
