import { z } from 'zod';
import type { KeyValueDriver, KeyValueStore } from '../contracts/key-value-store';
import { ValidationError } from '../errors';
import { defineKeyValueStore } from '../key-value/define-key-value-store';
import { utf8ByteLength } from '../tokenizer/utf8';
import { parseOptions } from '../validation';
import { LruMap } from './lru-map';

const optionsShape = {
  /** Most entries kept; the least recently used are evicted first. Default 10,000. */
  maxEntries: z.number().int().positive().default(10_000),
  /** Most bytes kept (UTF-8 length of keys and values). Default 64 MiB. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /** Key prefix, as for every store. Default `neptune:`. */
  prefix: z.string().optional(),
  /** Clock in epoch milliseconds, for tests. Default `Date.now`. */
  now: z.custom<() => number>((value) => typeof value === 'function', 'must be a function').optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** What `memoryKeyValueStore` takes: its entry and byte limits (least recently used entries go first). */
export type MemoryKeyValueStoreOptions = z.input<typeof optionsSchema>;

const INTEGER = /^-?\d+$/;

/**
 * The reference `KeyValueStore` and the embedded default: one process's memory, an LRU bounded by entry
 * count and by bytes, TTLs checked on read. Not shared between processes, so the cache's cross-process
 * lock is skipped with it.
 */
export function memoryKeyValueStore(options: MemoryKeyValueStoreOptions = {}): KeyValueStore {
  const checked = parseOptions(optionsSchema, options, 'memoryKeyValueStore options');
  const now = checked.now ?? Date.now;
  const entries = new LruMap<string>({ maxEntries: checked.maxEntries, maxBytes: checked.maxBytes, now });
  const expiry = (ttlMs: number | undefined) =>
    ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs;

  function write(key: string, value: string, expiresAt: number): void {
    const sizeBytes = utf8ByteLength(key) + utf8ByteLength(value);
    if (!entries.set(key, value, sizeBytes, expiresAt)) {
      throw new ValidationError({
        message: `The value of ${JSON.stringify(key.slice(0, 80))} is ${sizeBytes} bytes, more than the store's whole maxBytes (${checked.maxBytes}). Raise maxBytes or store less.`,
        details: { sizeBytes, maxBytes: checked.maxBytes },
      });
    }
  }

  function integerAt(key: string): number {
    const current = entries.get(key);
    if (current === undefined) return 0;
    if (INTEGER.test(current) && Number.isSafeInteger(Number(current))) return Number(current);
    throw new ValidationError({
      message: `Cannot increment ${JSON.stringify(key.slice(0, 80))}: its value is not an integer.`,
    });
  }

  const driver: KeyValueDriver = {
    name: 'memory',
    capabilities: { nativeTtl: false, atomic: true, shared: false },
    async get(key) {
      return entries.get(key);
    },
    async getMany(keys) {
      return keys.map((key) => entries.get(key));
    },
    async set(key, value, { ttlMs, onlyIfAbsent }) {
      if (onlyIfAbsent && entries.has(key)) return false;
      write(key, value, expiry(ttlMs));
      return true;
    },
    async delete(keys) {
      let deleted = 0;
      for (const key of keys) if (entries.delete(key)) deleted++;
      return deleted;
    },
    async scan(prefix) {
      // One page: the whole map is in hand, and it is bounded by maxEntries.
      const keys: string[] = [];
      for (const key of entries.keys()) if (key.startsWith(prefix)) keys.push(key);
      return { keys, cursor: undefined };
    },
    async incrementWithinLimits(counters) {
      // One synchronous step: nothing else runs between the reads and the writes.
      const current = counters.map((counter) => integerAt(counter.key));
      const next = counters.map((counter, index) => current[index]! + counter.by);
      if (!next.every((value, index) => value <= counters[index]!.limit)) {
        return { applied: false, values: current };
      }
      for (const [index, counter] of counters.entries()) {
        const expiresAt = entries.has(counter.key)
          ? (entries.expiresAt(counter.key) ?? Number.POSITIVE_INFINITY)
          : expiry(counter.ttlMs);
        write(counter.key, String(next[index]), expiresAt);
      }
      return { applied: true, values: next };
    },
    async increment(key, by, ttlMs) {
      const current = entries.get(key);
      if (current === undefined) {
        write(key, String(by), expiry(ttlMs));
        return by;
      }
      const next = INTEGER.test(current) ? Number(current) + by : Number.NaN;
      if (!Number.isSafeInteger(next)) {
        throw new ValidationError({
          message: `Cannot increment ${JSON.stringify(key.slice(0, 80))}: its value is not an integer or the result is out of range.`,
        });
      }
      write(key, String(next), entries.expiresAt(key) ?? Number.POSITIVE_INFINITY);
      return next;
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
  return defineKeyValueStore(driver, { prefix: checked.prefix });
}
