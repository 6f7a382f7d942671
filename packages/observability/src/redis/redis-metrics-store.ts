import { parseOptions, resolveSetting, StoreError, scopeKeys } from '@neptune/core';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { ALL_WORKSPACES, type BucketEntry, BucketedAggregates } from '../metrics/bucketed-aggregates';
import { viewKey } from '../metrics/memory-metrics-store';
import {
  bucketStart,
  type MetricsBucket,
  type MetricsResolution,
  type MetricsStore,
  type MetricsView,
  type RecordedError,
  resolutionMs,
} from '../metrics/metrics-store';
import {
  DEFAULT_HOUR_RETENTION_MS,
  DEFAULT_MAX_RECENT_ERRORS,
  DEFAULT_MINUTE_RETENTION_MS,
  retentionSchema,
} from '../metrics/retention-options';
import { aggregateFromFields, aggregateToFieldIncrements } from './aggregate-fields';

export interface RedisMetricsStoreOptions {
  /** An existing ioredis client. The store never closes a client it did not create. */
  readonly client?: Redis | undefined;
  /** Used when no client is given: a `redis://` or `rediss://` URL. Default: the REDIS_URL environment variable. */
  readonly url?: string | undefined;
  /** Extra ioredis options for the client built from `url`. */
  readonly clientOptions?: RedisOptions | undefined;
  /** Prepended to every key. Default `neptune:`. */
  readonly prefix?: string | undefined;
  /**
   * How often buffered figures are written, in ms. Default 5,000. `0` turns the timer off: call
   * `flush()` yourself (at the end of a serverless invocation, for example).
   */
  readonly flushIntervalMs?: number | undefined;
  readonly minuteRetentionMs?: number | undefined;
  readonly hourRetentionMs?: number | undefined;
  readonly maxRecentErrors?: number | undefined;
  /** Called when a timed flush fails (an awaited `flush()` rejects instead). Default: ignored. */
  readonly onError?: ((error: StoreError) => void) | undefined;
}

export type RedisMetricsStore = MetricsStore & { readonly client: Redis };

const optionsSchema = z.object({
  client: z
    .custom<Redis>((value) => typeof value === 'object' && value !== null, 'must be an ioredis client')
    .optional(),
  url: z.string().optional(),
  clientOptions: z.record(z.string(), z.unknown()).optional(),
  prefix: z.string().optional(),
  flushIntervalMs: z.number().int().min(0).optional(),
  ...retentionSchema,
  onError: z
    .custom<(error: StoreError) => void>((value) => typeof value === 'function', 'must be a function')
    .optional(),
});

/** A flush that failed to reach Redis is kept for the next one, up to this many buckets. */
const MAX_RETAINED_BUCKETS = 10_000;

/**
 * Metrics on Redis, so that every instance adds into the same buckets. Events are aggregated in memory
 * and written on `flush()` (and every `flushIntervalMs`) in one MULTI: HINCRBY on counter and
 * histogram-bucket fields of a hash per minute and per hour, with PEXPIRE for retention. Keys are
 * derived from the workspace with `scopeKeys`: `{prefix}ws:{workspaceId}:shared:metrics:m:{startMs}`;
 * the all-workspaces total lives under `{prefix}all:metrics:...`.
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
      { maxRetriesPerRequest: 1, ...(checked.clientOptions as RedisOptions | undefined) },
    );
  const prefix = checked.prefix ?? 'neptune:';
  const retentionMs = {
    minute: checked.minuteRetentionMs ?? DEFAULT_MINUTE_RETENTION_MS,
    hour: checked.hourRetentionMs ?? DEFAULT_HOUR_RETENTION_MS,
  };
  const maxRecentErrors = checked.maxRecentErrors ?? DEFAULT_MAX_RECENT_ERRORS;
  const flushIntervalMs = checked.flushIntervalMs ?? 5_000;

  const workspaceBase = (workspace: string): string =>
    workspace === ALL_WORKSPACES
      ? `${prefix}all:metrics:`
      : `${prefix}${scopeKeys({ workspaceId: workspace }).key('metrics')}:`;
  const bucketKey = (resolution: MetricsResolution, workspace: string, startMs: number): string =>
    `${workspaceBase(workspace)}${resolution === 'minute' ? 'm' : 'h'}:${startMs}`;
  const errorsKey = (workspace: string): string => `${workspaceBase(workspace)}errors`;

  let buffer = new BucketedAggregates();
  let pendingErrors: RecordedError[] = [];
  let flushing: Promise<void> = Promise.resolve();

  const writeOut = async (): Promise<void> => {
    const entries = [...buffer.entries()];
    const errors = pendingErrors;
    if (entries.length === 0 && errors.length === 0) return;
    buffer = new BucketedAggregates();
    pendingErrors = [];
    const transaction = client.multi();
    for (const entry of entries) {
      const key = bucketKey(entry.resolution, entry.workspace, entry.startMs);
      const { integers, floats } = aggregateToFieldIncrements(entry.aggregate);
      for (const [field, by] of integers) transaction.hincrby(key, field, by);
      for (const [field, by] of floats) transaction.hincrbyfloat(key, field, by);
      // Retention counts from the bucket's end, so a late write does not keep an old bucket alive.
      const expiresAtMs = entry.startMs + resolutionMs(entry.resolution) + retentionMs[entry.resolution];
      transaction.pexpireat(key, expiresAtMs);
    }
    for (const error of errors) queueError(transaction, error);
    try {
      const results = await transaction.exec();
      const failure = results?.find(([error]) => error !== null)?.[0];
      if (results === null || failure) {
        throw new StoreError({
          message: `redisMetricsStore: Redis refused part of a metrics write (${failure?.message ?? 'transaction aborted'}). The keys under prefix ${JSON.stringify(prefix)} may hold values of another type; use a prefix of their own.`,
          cause: failure ?? undefined,
          isRetryable: false,
        });
      }
    } catch (error) {
      if (error instanceof Error && StoreError.isInstance(error)) throw error;
      // Nothing of a MULTI that never reached EXEC was applied: keep the figures for the next flush.
      retain(entries, errors);
      throw new StoreError({
        message: `redisMetricsStore could not write metrics to Redis: ${error instanceof Error ? error.message : String(error)}. The figures are kept and written on the next flush.`,
        cause: error,
      });
    }
  };

  const queueError = (transaction: ReturnType<Redis['multi']>, error: RecordedError): void => {
    const text = JSON.stringify(error);
    const workspaces =
      error.workspaceId === undefined ? [ALL_WORKSPACES] : [ALL_WORKSPACES, error.workspaceId];
    for (const workspace of workspaces) {
      const key = errorsKey(workspace);
      transaction.lpush(key, text);
      transaction.ltrim(key, 0, maxRecentErrors - 1);
      transaction.pexpire(key, retentionMs.hour);
    }
  };

  const retain = (entries: readonly BucketEntry[], errors: readonly RecordedError[]): void => {
    if (buffer.size + entries.length <= MAX_RETAINED_BUCKETS)
      for (const entry of entries) buffer.mergeInto(entry);
    pendingErrors = [...errors, ...pendingErrors].slice(0, maxRecentErrors);
  };

  const flush = (): Promise<void> => {
    // Flushes run one after another, so that two never write the same buffer.
    const next = flushing.then(writeOut, writeOut);
    flushing = next.catch(() => {});
    return next;
  };

  const timer =
    flushIntervalMs > 0
      ? setInterval(() => {
          flush().catch((error: StoreError) => checked.onError?.(error));
        }, flushIntervalMs)
      : undefined;
  // A metrics timer must never keep a process (or a test run) alive.
  timer?.unref?.();

  return {
    name: 'redis',
    client,
    writer: (workspaceId, timestampMs) => buffer.writer(workspaceId, timestampMs),
    recordError(error) {
      if (maxRecentErrors > 0) pendingErrors.push(error);
    },
    async read({ view, resolution, fromMs, toMs }): Promise<MetricsBucket[]> {
      const workspace = viewKey(view);
      await flush();
      const starts: number[] = [];
      const step = resolutionMs(resolution);
      for (let startMs = bucketStart(fromMs, resolution); startMs <= toMs; startMs += step)
        starts.push(startMs);
      if (starts.length === 0) return [];
      const pipeline = client.pipeline();
      for (const startMs of starts) pipeline.hgetall(bucketKey(resolution, workspace, startMs));
      const results = await execOrThrow(pipeline, 'read metrics');
      const buckets: MetricsBucket[] = [];
      results.forEach(([, fields], position) => {
        const record = fields as Record<string, string>;
        if (Object.keys(record).length > 0)
          buckets.push({ startMs: starts[position]!, aggregate: aggregateFromFields(record) });
      });
      return buckets;
    },
    async recentErrors(view: MetricsView, limit: number): Promise<RecordedError[]> {
      const workspace = viewKey(view);
      await flush();
      if (limit <= 0) return [];
      const texts = await client.lrange(errorsKey(workspace), 0, limit - 1);
      return texts.flatMap((text) => {
        try {
          return [JSON.parse(text) as RecordedError];
        } catch {
          return [];
        }
      });
    },
    flush,
    async close() {
      if (timer !== undefined) clearInterval(timer);
      try {
        await flush();
      } finally {
        if (owned) await client.quit();
      }
    },
  };
}

async function execOrThrow(
  pipeline: ReturnType<Redis['pipeline']>,
  what: string,
): Promise<Array<[Error | null, unknown]>> {
  try {
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
    return results;
  } catch (error) {
    throw new StoreError({
      message: `redisMetricsStore could not ${what}: ${error instanceof Error ? error.message : String(error)}.`,
      cause: error,
    });
  }
}
