import { type CreateCacheOptions, createCache } from '@neptune/cache';
import { redisKeyValueStore } from '@neptune/cache/redis';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * The cached value: a CRM summary of about 850 bytes of JSON, the size of the plan's context entries.
 * Dates are ISO strings, because BentoCache's JSON serializer would not keep Date objects.
 */
export const contextValue = {
  workspace: 'acme',
  leads: Array.from({ length: 8 }, (_, index) => ({
    id: `lead-${index}`,
    name: `Lead ${index}`,
    stage: 'qualified',
    value: 1000 * index,
    updatedAt: '2025-05-01T00:00:00.000Z',
  })),
};

export const scope = { workspaceId: 'acme' };

/** Same client settings for every contender that talks to Redis, so only the cache layer differs. */
export const redisClientOptions: RedisOptions = { maxRetriesPerRequest: 1 };

/** A uniform face over both libraries: one getOrSet on a string key. */
export interface Contender {
  getOrSet(key: string, loader: () => Promise<unknown>): Promise<unknown>;
  /** Errors the cache recorded internally (not thrown). */
  recordedErrors(): number;
  close(): Promise<void>;
}

export function neptune(options: CreateCacheOptions & { redisUrl?: string; prefix?: string }): Contender {
  const store =
    options.redisUrl === undefined
      ? undefined
      : redisKeyValueStore({
          url: options.redisUrl,
          prefix: options.prefix,
          clientOptions: redisClientOptions,
        });
  const cache = createCache({
    ...options,
    store: options.store ?? store,
    kinds: { bench: { ttlMs: 300_000 } },
  });
  return {
    getOrSet: (key, loader) => cache.getOrSet(scope, { kind: 'bench', id: key }, loader),
    recordedErrors: () => cache.stats().total.storeErrors,
    async close() {
      await cache.close();
      await store?.close();
    },
  };
}

export function bento(
  layers: { memory?: boolean; redisUrl?: string },
  options: { prefix: string; suppressL2Errors?: boolean; l2CircuitBreakerDuration?: string },
): Contender {
  const connection =
    layers.redisUrl === undefined ? undefined : new Redis(layers.redisUrl, redisClientOptions);
  connection?.on('error', () => {});
  let store = bentostore();
  if (layers.memory) store = store.useL1Layer(memoryDriver({ maxItems: 10_000 }));
  if (connection) store = store.useL2Layer(redisDriver({ connection }));
  let errors = 0;
  const count = () => {
    errors++;
  };
  const logger = {
    trace() {},
    debug() {},
    info() {},
    warn: count,
    error: count,
    fatal: count,
    child: () => logger,
  };
  const cache = new BentoCache({
    default: 'cache',
    prefix: options.prefix,
    stores: { cache: store },
    logger,
    ...(options.suppressL2Errors === undefined ? {} : { suppressL2Errors: options.suppressL2Errors }),
    ...(options.l2CircuitBreakerDuration === undefined
      ? {}
      : { l2CircuitBreakerDuration: options.l2CircuitBreakerDuration }),
  } as ConstructorParameters<typeof BentoCache>[0]);
  return {
    getOrSet: (key, loader) => cache.getOrSet({ key, factory: loader, ttl: '5m' }),
    recordedErrors: () => errors,
    async close() {
      await cache.clear().catch(() => {});
      await cache.disconnectAll().catch(() => {});
      connection?.disconnect();
    },
  };
}
