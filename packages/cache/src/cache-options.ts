import { type KeyValueStore, type TelemetryChannel, telemetryChannelSchema } from '@neptune/core';
import { z } from 'zod';
import type { CacheBus } from './cache-bus';
import { type CacheKindPolicy, MAX_ENTRY_LIFETIME_MS } from './cache-kinds';

/** What `createCache` takes: the store, your kinds and their policies, and the fail-safe settings. */
export interface CreateCacheOptions {
  /** Where entries live. Default: an in-memory store (one process). Use `redisKeyValueStore` or `upstashKeyValueStore` to share. */
  readonly store?: KeyValueStore | undefined;
  /** Your kinds, added to (or overriding) the built-in `crm`, `calendar`, `workspace` and `prefs`. */
  readonly kinds?: Readonly<Record<string, CacheKindPolicy>> | undefined;
  /** First segment of every key: `context:{kind}`. Default `context`. */
  readonly namespace?: string | undefined;
  /** An in-process first tier in front of a shared store. Default off. */
  readonly memoryTier?:
    | boolean
    | {
        /** Default 1,000. */
        readonly maxEntries?: number | undefined;
        /** Default 16 MiB. */
        readonly maxBytes?: number | undefined;
        /** Longest an entry stays in memory whatever its TTL; bounds staleness without a bus. */
        readonly maxTtlMs?: number | undefined;
      }
    | undefined;
  /** Tells other instances which first-tier entries to drop (`redisCacheBus`). */
  readonly bus?: CacheBus | undefined;
  /** Longest wait for one store call before serving without the cache, in ms. Default 250. */
  readonly storeTimeoutMs?: number | undefined;
  /** Failures in a row that stop store calls, and for how long (ms) before one probe. Default 5 and 5,000. */
  readonly breaker?: { readonly failureThreshold?: number; readonly openMs?: number } | undefined;
  /** The cross-process load lock: its TTL and the longest a follower waits, in ms. Default 5,000 each. */
  readonly lock?: false | { readonly ttlMs?: number; readonly waitMs?: number } | undefined;
  /** Largest encoded value, in bytes. Default 512 KiB. */
  readonly maxValueBytes?: number | undefined;
  /** After a failed background refresh, serve stale without retrying for this long, in ms. Default 5,000. */
  readonly refreshBackoffMs?: number | undefined;
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  readonly telemetry?: TelemetryChannel | undefined;
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** What one cache call may override of its kind's policy (TTL, grace, tags, schema...). */
export interface CacheCallOptions<T = unknown> {
  /** Overrides the kind's TTL, in ms. Required for kinds not declared in `createCache({ kinds })`. */
  readonly ttlMs?: number | undefined;
  /** Overrides the kind's grace period, in ms. At most the TTL. */
  readonly graceMs?: number | undefined;
  /** Tags to invalidate the entry by with `invalidateTags`. */
  readonly tags?: readonly string[] | undefined;
  /** Validates cached values on read; a value that fails counts as a miss. */
  readonly schema?: z.ZodType<T> | undefined;
}

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
export const optionsSchema = z.object({
  store: z
    .custom<KeyValueStore>(
      (value) => typeof (value as KeyValueStore)?.getMany === 'function',
      'must be a KeyValueStore',
    )
    .optional(),
  kinds: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'kind names use letters, digits, _ . -'),
      kindPolicySchema,
    )
    .optional(),
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/)
    .default('context'),
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
  bus: z
    .custom<CacheBus>((value) => typeof (value as CacheBus)?.publish === 'function', 'must be a CacheBus')
    .optional(),
  storeTimeoutMs: z.number().int().min(0).default(250),
  breaker: z
    .object({
      failureThreshold: z.number().int().positive().default(5),
      openMs: z.number().positive().default(5_000),
    })
    .prefault({}),
  lock: z
    .union([
      z.literal(false),
      z.object({
        ttlMs: z.number().int().positive().default(5_000),
        waitMs: z.number().min(0).default(5_000),
      }),
    ])
    .prefault({}),
  maxValueBytes: z
    .number()
    .int()
    .positive()
    .default(512 * 1024),
  refreshBackoffMs: z.number().min(0).default(5_000),
  telemetry: telemetryChannelSchema.optional(),
  now: fn<() => number>('a function returning epoch milliseconds').optional(),
});
export const callOptionsSchema = z.object({
  ttlMs: positiveMs.optional(),
  graceMs: z.number().finite().min(0).max(MAX_ENTRY_LIFETIME_MS).optional(),
  tags: z.array(z.string()).optional(),
  schema: z
    .custom<z.ZodType>(
      (value) => typeof (value as z.ZodType)?.safeParse === 'function',
      'must be a zod schema',
    )
    .optional(),
});
