import { ConfigurationError, parseOptions, resolveSetting } from '@neptune/core';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import {
  type KeyValueStoreWithClient,
  redisCommandsStore,
  redisCommandsStoreOptionsSchema,
} from '../redis-commands-store';
import { recycleWhenStalled } from './stalled-connection';

/** How long an owned client waits for a reply (and for a connection) before giving up, in ms. */
const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

/** A Redis-backed `KeyValueStore` that also exposes its ioredis client (for pub/sub and your own commands). */
export type RedisKeyValueStore = KeyValueStoreWithClient<Redis>;

const commonShape = redisCommandsStoreOptionsSchema<Redis>('an ioredis client').shape;
const optionsShape = {
  /** An existing ioredis client. The store never closes a client it did not create. */
  client: commonShape.client,
  /** Used when no client is given: a `redis://` or `rediss://` URL. Default: the REDIS_URL environment variable. */
  url: commonShape.url,
  /**
   * Extra ioredis options for the client built from `url`. Its `commandTimeout` defaults to 2,000 ms: a
   * command unanswered that long fails, and the connection is replaced (see docs/cache.md).
   */
  clientOptions: z
    .custom<RedisOptions>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'must be an object of ioredis options',
    )
    .optional(),
  /** Prepended to every key, so several apps or test runs can share one database. Default `neptune:`. */
  prefix: commonShape.prefix,
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** What `redisKeyValueStore` takes: a client or a URL, and the key prefix. */
export type RedisKeyValueStoreOptions = z.input<typeof optionsSchema>;

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
      // A cache must fail fast rather than queue commands through a long reconnect, or wait forever on a
      // connection that went silent.
      {
        maxRetriesPerRequest: 1,
        commandTimeout: DEFAULT_COMMAND_TIMEOUT_MS,
        connectTimeout: DEFAULT_COMMAND_TIMEOUT_MS,
        ...checked.clientOptions,
      },
    );
  checkClient(client);
  // Connection errors reach callers as failed commands; without a listener ioredis would also log each one.
  if (owned) client.on('error', () => {});
  // Only a client with a `commandTimeout` ever reports a timeout, so a given client without one is left be.
  const onFailure = recycleWhenStalled(client, client.options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS);
  const watched = <T>(pending: Promise<T>): Promise<T> =>
    pending.catch((error: unknown) => {
      onFailure(error);
      throw error;
    });

  return redisCommandsStore({
    name: 'redis',
    client,
    prefix: checked.prefix,
    commands: {
      get: (key) => watched(client.get(key)),
      mget: (keys) => watched(client.mget(...keys)),
      set: (key, value, { ttlMs, onlyIfAbsent }) =>
        watched(
          ttlMs === undefined
            ? onlyIfAbsent
              ? client.set(key, value, 'NX')
              : client.set(key, value)
            : onlyIfAbsent
              ? client.set(key, value, 'PX', ttlMs, 'NX')
              : client.set(key, value, 'PX', ttlMs),
        ),
      del: (keys) => watched(client.del(...keys)),
      scan: (cursor, match, count) => watched(client.scan(cursor, 'MATCH', match, 'COUNT', count)),
      incrby: (key, by) => watched(client.incrby(key, by)),
      async incrbyCreatingWithTtl(key, by, ttlMs) {
        const results = await watched(client.multi().set(key, '0', 'PX', ttlMs, 'NX').incrby(key, by).exec());
        const [, [error, value] = []] = results ?? [];
        if (error) throw error;
        return Number(value);
      },
      eval: (script, keys, args) => watched(client.eval(script, keys.length, ...keys, ...args)),
      ping: () => watched(client.ping()),
      async close() {
        if (owned) await client.quit().catch(() => client.disconnect());
      },
    },
  });
}
