import { parseOptions, resolveSetting } from '@neptune/core';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import {
  type MetricsStoreClientShape,
  type MetricsStoreWithClient,
  metricsStoreOptionsShape,
  redisCommandsMetricsStore,
} from './redis-commands-metrics-store';

/** What `redisMetricsStore` returns: a metrics store with its Redis client. */
export type RedisMetricsStore = MetricsStoreWithClient<Redis>;

const ownOptionsShape = {
  /** Extra ioredis options for the client built from `url`. */
  clientOptions: z
    .custom<RedisOptions>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'must be an object of ioredis options',
    )
    .optional(),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
const optionsSchema: z.ZodObject<MetricsStoreClientShape<Redis> & typeof ownOptionsShape> = z.object({
  ...metricsStoreOptionsShape<Redis>('an ioredis client'),
  ...ownOptionsShape,
});

/** `url`: a `redis://` or `rediss://` URL; default, the REDIS_URL environment variable. */
export type RedisMetricsStoreOptions = z.input<typeof optionsSchema>;

/**
 * Metrics on Redis over TCP through ioredis, so that every instance adds into the same buckets (see
 * `redisCommandsMetricsStore` for the layout and the at-most-once batches it shares with
 * `upstashMetricsStore`).
 */
export function redisMetricsStore(options: RedisMetricsStoreOptions = {}): RedisMetricsStore {
  const checked = parseOptions(optionsSchema, options, 'redisMetricsStore options');
  const owned = checked.client === undefined;
  const client =
    checked.client ??
    new Redis(
      resolveSetting({
        value: checked.url,
        optionName: 'url',
        environmentVariable: 'REDIS_URL',
        description: 'The Redis URL for redisMetricsStore',
      }),
      // A command unanswered for 5 s fails (a flush must never hang the reads queued behind it), and the
      // silent connection is then replaced (below).
      {
        maxRetriesPerRequest: 1,
        commandTimeout: 5_000,
        ...(checked.clientOptions as RedisOptions | undefined),
      },
    );
  const store = redisCommandsMetricsStore({
    name: 'redis',
    settings: checked,
    commands: {
      eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
      // Redis ran the script and refused a command.
      isRefusal: (error) => error instanceof Error && error.name === 'ReplyError',
      onWriteFailure(error) {
        // A connection that stopped answering is replaced, so the next flush does not queue behind it.
        if (owned && error instanceof Error && error.message === 'Command timed out') client.disconnect(true);
      },
      async close() {
        if (owned) await client.quit();
      },
    },
  });
  return Object.assign(store, { client });
}
