import { parseOptions, resolveSetting } from '@neptune/core';
import { Redis } from '@upstash/redis';
import { z } from 'zod';
import {
  type MetricsStoreClientShape,
  type MetricsStoreWithClient,
  metricsStoreOptionsShape,
  redisCommandsMetricsStore,
} from '../redis/redis-commands-metrics-store';

/** An Upstash-backed `MetricsStore` that also exposes its `@upstash/redis` client. */
export type UpstashMetricsStore = MetricsStoreWithClient<Redis>;

const ownOptionsShape = {
  /** REST token when no client is given. Default: the UPSTASH_REDIS_REST_TOKEN environment variable. */
  token: z.string().optional(),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
const optionsSchema: z.ZodObject<MetricsStoreClientShape<Redis> & typeof ownOptionsShape> = z.object({
  ...metricsStoreOptionsShape<Redis>('an @upstash/redis client'),
  ...ownOptionsShape,
});

/** `url`: the REST URL; default, the UPSTASH_REDIS_REST_URL environment variable. */
export type UpstashMetricsStoreOptions = z.input<typeof optionsSchema>;

/** Upstash answers a command Redis refused (a wrong type) with its `ERR`/`WRONGTYPE` reply as the message. */
const isRedisErrorReply = (error: unknown): boolean =>
  error instanceof Error && error.name === 'UpstashError' && /\b(?:ERR|WRONGTYPE)\b/.test(error.message);

/**
 * Metrics on Upstash Redis over its REST API (`@upstash/redis`: fetch only, so it runs on serverless and
 * edge functions), so that every instance of a serverless deployment adds into the same buckets. The
 * layout, retention and at-most-once batches are `redisMetricsStore`'s: the same keys can be read by
 * either. On serverless, set `flushIntervalMs: 0` and `flush()` at the end of each invocation
 * (`after(() => store.flush())`).
 */
export function upstashMetricsStore(options: UpstashMetricsStoreOptions = {}): UpstashMetricsStore {
  const checked = parseOptions(optionsSchema, options, 'upstashMetricsStore options');
  const setting = (name: 'url' | 'token') =>
    resolveSetting({
      value: checked[name],
      optionName: name,
      environmentVariable: `UPSTASH_REDIS_REST_${name.toUpperCase()}`,
      description: `The Upstash Redis REST ${name} for upstashMetricsStore`,
    });
  const client =
    checked.client ??
    new Redis({
      url: setting('url'),
      token: setting('token'),
      automaticDeserialization: false,
      enableTelemetry: false,
      // A failed flush keeps its figures for the next one; the client's long default retries would hold it.
      retry: { retries: 1, backoff: () => 50 },
    });
  const store = redisCommandsMetricsStore({
    name: 'upstash-redis',
    settings: checked,
    commands: {
      eval: (script, keys, args) => client.eval(script, [...keys], [...args]),
      isRefusal: isRedisErrorReply,
    },
  });
  return Object.assign(store, { client });
}
