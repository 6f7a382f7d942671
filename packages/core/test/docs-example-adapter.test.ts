// The adapter and test of docs/write-your-own-adapter.md, verbatim, so that the page cannot go stale:
// if this file changes, change the page too.
import { defineKeyValueStore, type KeyValueDriver, type KeyValueStore, ValidationError } from '@neptune/core';
import { describeKeyValueStoreConformance } from '@neptune/core/testing';

export interface MapKeyValueStoreOptions {
  /** Prepended to every key, as for every store. Default `neptune:`. */
  readonly prefix?: string | undefined;
  /** Clock in epoch milliseconds, for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

interface Entry {
  value: string;
  /** Epoch milliseconds at which the entry is gone; `undefined` when it never expires. */
  expiresAt: number | undefined;
}

/** A `KeyValueStore` over a `Map`: one process's memory, TTLs checked on read. */
export function mapKeyValueStore(options: MapKeyValueStoreOptions = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const expiresAt = (ttlMs: number | undefined) => (ttlMs === undefined ? undefined : now() + ttlMs);

  /** The entry of a key unless it has expired (an expired one is dropped on the way). */
  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  const driver: KeyValueDriver = {
    name: 'map',
    capabilities: { nativeTtl: false, atomic: true, shared: false },
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, { ttlMs, onlyIfAbsent }) {
      if (onlyIfAbsent && live(key) !== undefined) return false;
      entries.set(key, { value, expiresAt: expiresAt(ttlMs) });
      return true;
    },
    async delete(keys) {
      let deleted = 0;
      for (const key of keys) if (live(key) !== undefined && entries.delete(key)) deleted++;
      return deleted;
    },
    async scan(prefix, cursor, count) {
      // Sorted and resumed after the last key returned, so a key present for the whole scan is seen once.
      const keys = [...entries.keys()]
        .filter((key) => key.startsWith(prefix) && (cursor === undefined || key > cursor) && live(key))
        .sort()
        .slice(0, count);
      return { keys, cursor: keys.length < count ? undefined : keys.at(-1) };
    },
    async increment(key, by, ttlMs) {
      const entry = live(key);
      if (entry === undefined) {
        entries.set(key, { value: String(by), expiresAt: expiresAt(ttlMs) });
        return by;
      }
      const next = /^-?\d+$/.test(entry.value) ? Number(entry.value) + by : Number.NaN;
      if (!Number.isSafeInteger(next)) {
        // Bad input, not an outage: the suite expects a ValidationError here.
        throw new ValidationError({
          message: `Cannot increment ${JSON.stringify(key)}: its value is not an integer.`,
        });
      }
      entry.value = String(next); // the TTL stays the one set when the counter was created
      return next;
    },
  };
  return defineKeyValueStore(driver, { prefix: options.prefix });
}

describeKeyValueStoreConformance({
  name: 'map',
  create: () => mapKeyValueStore(),
  destroy: (store) => store.close(),
  capabilities: { nativeTtl: false, atomic: true, shared: false },
});
