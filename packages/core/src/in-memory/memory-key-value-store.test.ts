import { describe, expect, it } from 'vitest';
import { describeKeyValueStoreConformance } from '../testing/key-value-store-conformance';
import { memoryKeyValueStore } from './memory-key-value-store';

describeKeyValueStoreConformance({
  name: 'memory',
  create: () => memoryKeyValueStore(),
  destroy: (store) => store.close(),
  capabilities: { nativeTtl: false, atomic: true, shared: false },
});

describe('memoryKeyValueStore bounds', () => {
  const scope = { workspaceId: 'acme' };

  it('evicts the least recently used entry past maxEntries', async () => {
    const store = memoryKeyValueStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) await store.set(scope, key, key);
    await store.get(scope, 'a');
    await store.set(scope, 'd', 'd');
    expect(await store.getMany(scope, ['a', 'b', 'c', 'd'])).toEqual(['a', undefined, 'c', 'd']);
  });

  it('evicts by bytes, counting UTF-8, and refuses a value larger than the whole budget', async () => {
    // Each raw key is `neptune:ws:acme:shared:k:X` (26 bytes); each value below is 40 bytes of UTF-8.
    const store = memoryKeyValueStore({ maxBytes: 140 });
    await store.set(scope, 'a', 'é'.repeat(20));
    await store.set(scope, 'b', 'é'.repeat(20));
    await store.set(scope, 'c', 'é'.repeat(20));
    expect(await store.getMany(scope, ['a', 'b', 'c'])).toEqual([undefined, 'é'.repeat(20), 'é'.repeat(20)]);
    await expect(store.set(scope, 'huge', 'x'.repeat(200))).rejects.toThrow(
      /more than the store's whole maxBytes/,
    );
    expect(await store.get(scope, 'c')).toBe('é'.repeat(20));
  });

  it('checks TTLs on read against its clock', async () => {
    let now = 1_000;
    const store = memoryKeyValueStore({ now: () => now });
    await store.set(scope, 'k', 'v', { ttlMs: 100 });
    now += 99;
    expect(await store.get(scope, 'k')).toBe('v');
    now += 1;
    expect(await store.get(scope, 'k')).toBeUndefined();
  });

  it('rejects bad options with a ConfigurationError naming the option', () => {
    expect(() => memoryKeyValueStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
