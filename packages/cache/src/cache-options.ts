import { type KeyValueStore, telemetryChannelSchema } from '@neptune/core';
import { z } from 'zod';
import type { CacheBus } from './cache-bus';
import { MAX_ENTRY_LIFETIME_MS } from './cache-kinds';

const positiveMs = z.number().finite().positive().max(MAX_ENTRY_LIFETIME_MS);
const kindPolicySchema = z
  .object({
    ttlMs: positiveMs,
    graceMs: z.number().finite().min(0).max(MAX_ENTRY_LIFETIME_MS).optional(),
  })
  // Grace serves a value past its TTL while it refreshes; longer than the TTL, the TTL means nothing.
  .refine((policy) => policy.graceMs === undefined || policy.graceMs <= policy.ttlMs, {
    message: 'graceMs must be at most ttlMs (the oldest value served is ttlMs + graceMs)',
    path: ['graceMs'],
  });
export const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', `must be ${what}`);
const optionsShape = {
  /** Where entries live. Default: an in-memory store (one process). Use `redisKeyValueStore` or `upstashKeyValueStore` to share. */
  store: z
    .custom<KeyValueStore>(
      (value) => typeof (value as KeyValueStore)?.getMany === 'function',
      'must be a KeyValueStore',
    )
    .optional(),
  /** Your kinds, added to (or overriding) the built-in `crm`, `calendar`, `workspace` and `prefs`. */
  kinds: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'kind names use letters, digits, _ . -'),
      kindPolicySchema,
    )
    .optional(),
  /** First segment of every key: `context:{kind}`. Default `context`. */
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/)
    .default('context'),
  /**
   * An in-process first tier in front of a shared store. Default off. `true`, or its limits:
   * `maxEntries` (default 1,000), `maxBytes` (default 16 MiB), and `maxTtlMs`, the longest an entry stays
   * in memory whatever its TTL (bounds staleness without a bus).
   */
  memoryTier: z
    .union([
      z.boolean(),
      z.object({
        maxEntries: z.number().int().positive().default(1_000),
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(16 * 1024 * 1024),
        maxTtlMs: positiveMs.optional(),
      }),
    ])
    .default(false),
  /** Tells other instances which first-tier entries to drop (`redisCacheBus`). */
  bus: z
    .custom<CacheBus>((value) => typeof (value as CacheBus)?.publish === 'function', 'must be a CacheBus')
    .optional(),
  /** Longest wait for one store call before serving without the cache, in ms. Default 250. */
  storeTimeoutMs: z.number().int().min(0).default(250),
  /** Failures in a row that stop store calls, and for how long (ms) before one probe. Default 5 and 5,000. */
  breaker: z
    .object({
      failureThreshold: z.number().int().positive().default(5),
      openMs: z.number().positive().default(5_000),
    })
    .prefault({}),
  /** The cross-process load lock: its TTL and the longest a follower waits, in ms. Default 5,000 each. */
  lock: z
    .union([
      z.literal(false),
      z.object({
        ttlMs: z.number().int().positive().default(5_000),
        waitMs: z.number().min(0).default(5_000),
      }),
    ])
    .prefault({}),
  /** Largest encoded value, in bytes. Default 512 KiB. */
  maxValueBytes: z
    .number()
    .int()
    .positive()
    .default(512 * 1024),
  /** After a failed background refresh, serve stale without retrying for this long, in ms. Default 5,000. */
  refreshBackoffMs: z.number().min(0).default(5_000),
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  telemetry: telemetryChannelSchema.optional(),
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now: fn<() => number>('a function returning epoch milliseconds').optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
export const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** What `createCache` takes: the store, your kinds and their policies, and the fail-safe settings. */
export type CreateCacheOptions = z.input<typeof optionsSchema>;

const callOptionsShape = {
  /** Overrides the kind's TTL, in ms. Required for kinds not declared in `createCache({ kinds })`. */
  ttlMs: positiveMs.optional(),
  /** Overrides the kind's grace period, in ms. At most the TTL. */
  graceMs: z.number().finite().min(0).max(MAX_ENTRY_LIFETIME_MS).optional(),
  /** Tags to invalidate the entry by with `invalidateTags`. */
  tags: z.array(z.string()).readonly().optional(),
  /** Validates cached values on read; a value that fails counts as a miss. */
  schema: z
    .custom<z.ZodType>(
      (value) => typeof (value as z.ZodType)?.safeParse === 'function',
      'must be a zod schema',
    )
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
export const callOptionsSchema: z.ZodObject<typeof callOptionsShape> = z.object(callOptionsShape);

/**
 * What one cache call may override of its kind's policy (TTL, grace, tags, schema...). `T` is the type
 * `schema` validates: the schema's own field, narrowed to the call's value type.
 */
export type CacheCallOptions<T = unknown> = Omit<z.input<typeof callOptionsSchema>, 'schema'> & {
  /** Validates cached values on read; a value that fails counts as a miss. */
  readonly schema?: z.ZodType<T> | undefined;
};
