import {
  defineKeyValueStore,
  type KeyValueDriver,
  type KeyValueSetOptions,
  type KeyValueStore,
} from '@neptune/core';
import { z } from 'zod';
import { escapeGlob } from './escape-glob';
import { toIncrementError } from './increment-error';
import {
  INCREMENT_WITHIN_LIMITS_SCRIPT,
  incrementWithinLimitsArguments,
  parseIncrementWithinLimitsReply,
} from './increment-within-limits-script';

/**
 * The Redis commands a key-value store is made of, each as its client calls it. ioredis and
 * `@upstash/redis` differ only in how arguments and replies are shaped; what the commands mean for the
 * store (nil is absent, `OK` is written, cursor `0` is done) is decided once, in `redisCommandsStore`.
 * Nothing here may use a Node API: the Upstash store runs on the edge runtime.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  mget(keys: readonly string[]): Promise<Array<string | null>>;
  /** `SET`, with `PX` for a TTL and `NX` for `onlyIfAbsent`; resolves to the reply (`OK` when written). */
  set(key: string, value: string, options: KeyValueSetOptions): Promise<unknown>;
  del(keys: readonly string[]): Promise<number>;
  /** `SCAN cursor MATCH match COUNT count`: the next cursor and a page of keys. */
  scan(cursor: string, match: string, count: number): Promise<readonly [string | number, string[]]>;
  incrby(key: string, by: number): Promise<number>;
  /** `SET key 0 PX ttlMs NX` then `INCRBY` in one `MULTI`, so the TTL is set only when the counter is created. */
  incrbyCreatingWithTtl(key: string, by: number, ttlMs: number): Promise<number>;
  /** `EVAL script numkeys key... arg...`: resolves to the script's reply. */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  ping(): Promise<unknown>;
  close?(): Promise<void>;
}

/** A Redis-backed `KeyValueStore` that also exposes its client (for pub/sub and your own commands). */
export type KeyValueStoreWithClient<Client> = KeyValueStore & { readonly client: Client };

/** The options every Redis store reads the same way; each store extends it with what building its client needs. */
export function redisCommandsStoreOptionsSchema<Client>(clientDescription: string) {
  return z.object({
    client: z
      .custom<Client>((value) => typeof value === 'object' && value !== null, `must be ${clientDescription}`)
      .optional(),
    url: z.string().optional(),
    prefix: z.string().optional(),
  });
}

/** A `KeyValueStore` on a Redis client: TTLs are `PX`, locks `SET NX`, counters `INCRBY`, listing `SCAN`. */
export function redisCommandsStore<Client>(options: {
  /** The driver name in errors and events: `redis`, `upstash-redis`. */
  readonly name: string;
  readonly client: Client;
  readonly commands: RedisCommands;
  readonly prefix: string | undefined;
}): KeyValueStoreWithClient<Client> {
  const { commands } = options;
  const driver: KeyValueDriver = {
    name: options.name,
    capabilities: { nativeTtl: true, atomic: true, shared: true },
    async get(key) {
      return (await commands.get(key)) ?? undefined;
    },
    async getMany(keys) {
      const values = await commands.mget(keys);
      return values.map((value) => value ?? undefined);
    },
    async set(key, value, setOptions) {
      return (await commands.set(key, value, setOptions)) === 'OK';
    },
    async delete(keys) {
      return keys.length === 0 ? 0 : commands.del(keys);
    },
    async scan(prefix, cursor, count) {
      // Our prefixes are literal text; SCAN MATCH takes a glob.
      const [next, keys] = await commands.scan(cursor ?? '0', `${escapeGlob(prefix)}*`, count);
      return { keys, cursor: String(next) === '0' ? undefined : String(next) };
    },
    async increment(key, by, ttlMs) {
      try {
        return ttlMs === undefined
          ? await commands.incrby(key, by)
          : await commands.incrbyCreatingWithTtl(key, by, ttlMs);
      } catch (error) {
        throw toIncrementError(error, key);
      }
    },
    async incrementWithinLimits(counters) {
      try {
        const reply = await commands.eval(
          INCREMENT_WITHIN_LIMITS_SCRIPT,
          counters.map((counter) => counter.key),
          incrementWithinLimitsArguments(counters),
        );
        return parseIncrementWithinLimitsReply(reply);
      } catch (error) {
        throw toIncrementError(error, counters.map((counter) => counter.key).join(', '));
      }
    },
    async ping() {
      await commands.ping();
    },
    async close() {
      await commands.close?.();
    },
  };
  return Object.assign(defineKeyValueStore(driver, { prefix: options.prefix }), { client: options.client });
}
