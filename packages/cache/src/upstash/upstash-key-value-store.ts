import { ConfigurationError, parseOptions, resolveSetting } from '@neptune/core';
import { Redis } from '@upstash/redis';
import { z } from 'zod';
import {
  type KeyValueStoreWithClient,
  redisCommandsStore,
  redisCommandsStoreOptionsSchema,
} from '../redis-commands-store';

/** An Upstash-backed `KeyValueStore` that also exposes its `@upstash/redis` client. */
export type UpstashKeyValueStore = KeyValueStoreWithClient<Redis>;

const commonShape = redisCommandsStoreOptionsSchema<Redis>('an @upstash/redis client').shape;
const optionsShape = {
  /**
   * An existing client, created with `automaticDeserialization: false` so that values come back as the
   * exact strings stored (otherwise `"123"` would come back as the number 123).
   */
  client: commonShape.client,
  /** REST URL when no client is given. Default: the UPSTASH_REDIS_REST_URL environment variable. */
  url: commonShape.url,
  /** REST token when no client is given. Default: the UPSTASH_REDIS_REST_TOKEN environment variable. */
  token: z.string().optional(),
  /** Prepended to every key. Default `neptune:`. */
  prefix: commonShape.prefix,
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** What `upstashKeyValueStore` takes: a client or the REST URL and token, and the key prefix. */
export type UpstashKeyValueStoreOptions = z.input<typeof optionsSchema>;

function createClient(url: string | undefined, token: string | undefined): Redis {
  return new Redis({
    url: resolveSetting({
      value: url,
      optionName: 'url',
      environmentVariable: 'UPSTASH_REDIS_REST_URL',
      description: 'The Upstash Redis REST URL',
    }),
    token: resolveSetting({
      value: token,
      optionName: 'token',
      environmentVariable: 'UPSTASH_REDIS_REST_TOKEN',
      description: 'The Upstash Redis REST token',
    }),
    automaticDeserialization: false,
    enableTelemetry: false,
    // A cache must fail fast; the client's default retries would hold a request for seconds.
    retry: { retries: 1, backoff: () => 50 },
  });
}

function checkClient(client: Redis): void {
  const settings = (client as unknown as { opts?: { automaticDeserialization?: boolean } }).opts;
  if (settings?.automaticDeserialization !== false) {
    throw new ConfigurationError({
      message:
        'The @upstash/redis client parses stored strings as JSON (automaticDeserialization), so "123" would come back as 123. Create it with new Redis({ url, token, automaticDeserialization: false }), or pass url and token instead of a client.',
    });
  }
}

/**
 * `KeyValueStore` on Upstash Redis over its REST API (`@upstash/redis`): fetch only, no Node APIs, so it
 * runs on the edge runtime. Same commands as the TCP adapter: `SET PX NX`, `INCRBY` in a `MULTI`, `SCAN`.
 */
export function upstashKeyValueStore(options: UpstashKeyValueStoreOptions = {}): UpstashKeyValueStore {
  const checked = parseOptions(optionsSchema, options, 'upstashKeyValueStore options');
  const client = checked.client ?? createClient(checked.url, checked.token);
  checkClient(client);

  return redisCommandsStore({
    name: 'upstash-redis',
    client,
    prefix: checked.prefix,
    commands: {
      get: (key) => client.get<string>(key),
      mget: (keys) => client.mget<Array<string | null>>(...keys),
      set: (key, value, { ttlMs, onlyIfAbsent }) =>
        ttlMs === undefined
          ? onlyIfAbsent
            ? client.set(key, value, { nx: true })
            : client.set(key, value)
          : onlyIfAbsent
            ? client.set(key, value, { px: ttlMs, nx: true })
            : client.set(key, value, { px: ttlMs }),
      del: (keys) => client.del(...keys),
      scan: (cursor, match, count) => client.scan(cursor, { match, count }),
      incrby: (key, by) => client.incrby(key, by),
      async incrbyCreatingWithTtl(key, by, ttlMs) {
        const [, value] = await client.multi().set(key, '0', { px: ttlMs, nx: true }).incrby(key, by).exec();
        return Number(value);
      },
      eval: (script, keys, args) => client.eval(script, [...keys], [...args]),
      ping: () => client.ping(),
    },
  });
}
