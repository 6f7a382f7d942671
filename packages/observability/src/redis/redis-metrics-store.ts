import { parseOptions, resolveSetting, StoreError, scopeKeys } from '@neptune/core';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { ALL_WORKSPACES, BucketedAggregates, isValidWorkspace } from '../metrics/bucketed-aggregates';
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
  DEFAULT_DAY_RETENTION_MS,
  DEFAULT_HOUR_RETENTION_MS,
  DEFAULT_MAX_RECENT_ERRORS,
  DEFAULT_MINUTE_RETENTION_MS,
  retentionSchema,
} from '../metrics/retention-options';
import { aggregateFromFields } from './aggregate-fields';
import {
  APPLY_BATCH_SCRIPT,
  type BatchLayout,
  batchScriptArguments,
  type MetricsBatch,
} from './metrics-batch';

/** The key segment of each resolution's buckets. */
const RESOLUTION_KEY: Record<MetricsResolution, string> = { minute: 'm', hour: 'h', day: 'd' };

function randomBatchId(): string {
  return globalThis.crypto.randomUUID();
}

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
  /** How long day buckets are kept. Default 90 days. */
  readonly dayRetentionMs?: number | undefined;
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

/**
 * Metrics on Redis, so that every instance adds into the same buckets. Events are aggregated in memory
 * and written on `flush()` (and every `flushIntervalMs`) by one atomic script: HINCRBY on counter and
 * histogram-bucket fields of a hash per minute, per hour and per day, with PEXPIREAT for retention. Each batch
 * carries a random id that the script records, so a batch resent after a lost reply is counted once. Keys are
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
      // A command unanswered for 5 s fails (a flush must never hang the reads queued behind it), and the
      // silent connection is then replaced (below).
      {
        maxRetriesPerRequest: 1,
        commandTimeout: 5_000,
        ...(checked.clientOptions as RedisOptions | undefined),
      },
    );
  const prefix = checked.prefix ?? 'neptune:';
  const retentionMs = {
    minute: checked.minuteRetentionMs ?? DEFAULT_MINUTE_RETENTION_MS,
    hour: checked.hourRetentionMs ?? DEFAULT_HOUR_RETENTION_MS,
    day: checked.dayRetentionMs ?? DEFAULT_DAY_RETENTION_MS,
  };
  const maxRecentErrors = checked.maxRecentErrors ?? DEFAULT_MAX_RECENT_ERRORS;
  const flushIntervalMs = checked.flushIntervalMs ?? 5_000;

  const workspaceBase = (workspace: string): string =>
    workspace === ALL_WORKSPACES
      ? `${prefix}all:metrics:`
      : `${prefix}${scopeKeys({ workspaceId: workspace }).key('metrics')}:`;
  const bucketKey = (resolution: MetricsResolution, workspace: string, startMs: number): string =>
    `${workspaceBase(workspace)}${RESOLUTION_KEY[resolution]}:${startMs}`;
  const errorsKey = (workspace: string): string => `${workspaceBase(workspace)}errors`;

  let buffer = new BucketedAggregates();
  let pendingErrors: RecordedError[] = [];
  let flushing: Promise<void> = Promise.resolve();
  // A batch sent but not confirmed (the connection failed, or its reply was lost). It is resent as it is,
  // under the same id, before anything newer: the script applies a batch id at most once.
  let unconfirmed: MetricsBatch | undefined;

  const layout: BatchLayout = {
    bucketKey: (entry) => bucketKey(entry.resolution, entry.workspace, entry.startMs),
    expiresAtMs: (entry) => entry.startMs + resolutionMs(entry.resolution) + retentionMs[entry.resolution],
    errorKeys: (error) =>
      error.workspaceId === undefined
        ? [errorsKey(ALL_WORKSPACES)]
        : [errorsKey(ALL_WORKSPACES), errorsKey(error.workspaceId)],
    markerKey: (id) => `${prefix}all:metrics:batch:${id}`,
    maxRecentErrors,
    errorRetentionMs: retentionMs.hour,
  };

  const send = async (batch: MetricsBatch): Promise<void> => {
    const { keys, argv } = batchScriptArguments(batch, layout);
    try {
      await client.eval(APPLY_BATCH_SCRIPT, keys.length, ...keys, ...argv);
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError') {
        // Redis ran the script and refused a command: resending cannot help.
        unconfirmed = undefined;
        throw new StoreError({
          message: `redisMetricsStore: Redis refused part of a metrics write (${error.message}). The keys under prefix ${JSON.stringify(prefix)} may hold values of another type; use a prefix of their own.`,
          cause: error,
          isRetryable: false,
        });
      }
      // A connection that stopped answering is replaced, so the next flush does not queue behind it.
      if (owned && error instanceof Error && error.message === 'Command timed out') client.disconnect(true);
      throw new StoreError({
        message: `redisMetricsStore could not write metrics to Redis: ${error instanceof Error ? error.message : String(error)}. The figures are kept and written on the next flush, at most once.`,
        cause: error,
      });
    }
    unconfirmed = undefined;
  };

  const writeOut = async (): Promise<void> => {
    if (unconfirmed !== undefined) await send(unconfirmed);
    const entries = [...buffer.entries()];
    const errors = pendingErrors;
    if (entries.length === 0 && errors.length === 0) return;
    buffer = new BucketedAggregates();
    pendingErrors = [];
    unconfirmed = { id: randomBatchId(), entries, errors };
    await send(unconfirmed);
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
      if (maxRecentErrors === 0) return;
      // An id that cannot be keyed safely costs the error its workspace list, never the flush.
      pendingErrors.push(
        error.workspaceId === undefined || isValidWorkspace(error.workspaceId)
          ? error
          : { ...error, workspaceId: undefined },
      );
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
