import {
  ConfigurationError,
  defineKeyValueStore,
  type KeyValueDriver,
  type KeyValueStore,
  parseOptions,
  resolveSetting,
} from '@neptune/core';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { escapeGlob } from '../escape-glob';
import { toIncrementError } from '../increment-error';

export interface RedisKeyValueStoreOptions {
  /** An existing ioredis client. The store never closes a client it did not create. */
  readonly client?: Redis | undefined;
  /** Used when no client is given: a `redis://` or `rediss://` URL. Default: the REDIS_URL environment variable. */
  readonly url?: string | undefined;
  /** Extra ioredis options for the client built from `url`. */
  readonly clientOptions?: RedisOptions | undefined;
  /** Prepended to every key, so several apps or test runs can share one database. Default `neptune:`. */
  readonly prefix?: string | undefined;
}

/** A Redis-backed `KeyValueStore` that also exposes its ioredis client (for pub/sub and your own commands). */
export type RedisKeyValueStore = KeyValueStore & { readonly client: Redis };

const optionsSchema = z.object({
  client: z
    .custom<Redis>((value) => typeof value === 'object' && value !== null, 'must be an ioredis client')
    .optional(),
  url: z.string().optional(),
  clientOptions: z.record(z.string(), z.unknown()).optional(),
  prefix: z.string().optional(),
});

function checkClient(client: Redis): void {
  if ((client as { isCluster?: boolean }).isCluster) {
    throw new ConfigurationError({
      message:
        'redisKeyValueStore does not support ioredis Cluster clients yet: SCAN and multi-key reads would need to run per node. Pass a single-node (or Sentinel) client.',
    });
  }
  if (client.options.keyPrefix) {
    throw new ConfigurationError({
      message: `The ioredis client has keyPrefix ${JSON.stringify(client.options.keyPrefix)}, which ioredis does not apply to SCAN patterns. Remove it and pass it as redisKeyValueStore's \`prefix\` option instead.`,
    });
  }
}

/**
 * `KeyValueStore` on Redis over TCP through ioredis (the client BentoCache uses too: pipelines, Lua,
 * Sentinel). TTLs are Redis `PX`, locks `SET NX`, counters `INCRBY` in a `MULTI` so a TTL is set only
 * when the counter is created, and listing is `SCAN` with the prefix escaped.
 */
export function redisKeyValueStore(options: RedisKeyValueStoreOptions = {}): RedisKeyValueStore {
  const checked = parseOptions(optionsSchema, options, 'redisKeyValueStore options');
  const owned = checked.client === undefined;
  const client =
    checked.client ??
    new Redis(
      resolveSetting({
        value: checked.url,
        optionName: 'url',
        environmentVariable: 'REDIS_URL',
        description: 'The Redis URL for redisKeyValueStore',
      }),
      // A cache must fail fast rather than queue commands through a long reconnect.
      { maxRetriesPerRequest: 1, ...(checked.clientOptions as RedisOptions | undefined) },
    );
  checkClient(client);
  // Connection errors reach callers as failed commands; without a listener ioredis would also log each one.
  if (owned) client.on('error', () => {});

  const driver: KeyValueDriver = {
    name: 'redis',
    capabilities: { nativeTtl: true, atomic: true, shared: true },
    async get(key) {
      return (await client.get(key)) ?? undefined;
    },
    async getMany(keys) {
      const values = await client.mget(...keys);
      return values.map((value) => value ?? undefined);
    },
    async set(key, value, { ttlMs, onlyIfAbsent }) {
      const reply =
        ttlMs === undefined
          ? onlyIfAbsent
            ? await client.set(key, value, 'NX')
            : await client.set(key, value)
          : onlyIfAbsent
            ? await client.set(key, value, 'PX', ttlMs, 'NX')
            : await client.set(key, value, 'PX', ttlMs);
      return reply === 'OK';
    },
    async delete(keys) {
      return keys.length === 0 ? 0 : client.del(...keys);
    },
    async scan(prefix, cursor, count) {
      const [next, keys] = await client.scan(
        cursor ?? '0',
        'MATCH',
        `${escapeGlob(prefix)}*`,
        'COUNT',
        count,
      );
      return { keys, cursor: next === '0' ? undefined : next };
    },
    async increment(key, by, ttlMs) {
      try {
        if (ttlMs === undefined) return await client.incrby(key, by);
        const results = await client.multi().set(key, '0', 'PX', ttlMs, 'NX').incrby(key, by).exec();
        const [, [error, value] = []] = results ?? [];
        if (error) throw error;
        return Number(value);
      } catch (error) {
        throw toIncrementError(error, key);
      }
    },
    async ping() {
      await client.ping();
    },
    async close() {
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
  return Object.assign(defineKeyValueStore(driver, { prefix: checked.prefix }), { client });
}
