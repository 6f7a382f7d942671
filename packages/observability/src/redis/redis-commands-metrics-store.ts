import { StoreError, type StoreError as StoreErrorType, scopeKeys } from '@neptune/core';
import { z } from 'zod';
import {
  ALL_WORKSPACES,
  BucketedAggregates,
  isValidWorkspace,
  viewKey,
} from '../metrics/bucketed-aggregates';
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

/** Every bucket's hash in one round trip, as `[field, value, ...]` (empty for a missing key). */
const READ_BUCKETS_SCRIPT = `
local hashes = {}
for i = 1, #KEYS do hashes[i] = redis.call('HGETALL', KEYS[i]) end
return hashes
`;

const READ_ERRORS_SCRIPT = "return redis.call('LRANGE', KEYS[1], 0, ARGV[1])";

/**
 * A hash from the read script: `[field, value, ...]`; values may come back as numbers from a client
 * that parses replies (`@upstash/redis` by default).
 */
function toFields(reply: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(reply)) return fields;
  for (let index = 0; index + 1 < reply.length; index += 2) {
    fields[String(reply[index])] = String(reply[index + 1]);
  }
  return fields;
}

/** The key segment of each resolution's buckets. */
const RESOLUTION_KEY: Record<MetricsResolution, string> = { minute: 'm', hour: 'h', day: 'd' };

/**
 * The few Redis commands a metrics store is made of, as one client calls them. ioredis (TCP) and
 * `@upstash/redis` (REST) differ only here; buffering, batching, keys and retention are shared. Nothing
 * here may use a Node API: the Upstash store runs on the edge runtime.
 */
export interface MetricsRedisCommands {
  /** `EVAL script numkeys key... arg...`: every read and write is a script, so one call serves both clients. */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  /** True when Redis ran the command and refused it (a wrong type): resending cannot help. */
  isRefusal(error: unknown): boolean;
  /** Told of each failed write, to replace a connection that went silent. */
  onWriteFailure?(error: unknown): void;
  /** Releases what the store created (never a client it was given). */
  close?(): Promise<void>;
}

const settingsShape = {
  /** Prepended to every key. Default `neptune:`. */
  prefix: z.string().optional(),
  /**
   * How often buffered figures are written, in ms. Default 5,000. `0` turns the timer off: call
   * `flush()` yourself (at the end of a serverless invocation, for example).
   */
  flushIntervalMs: z.number().int().min(0).optional(),
  /** Called when a timed flush fails (an awaited `flush()` rejects instead). Default: ignored. */
  onError: z
    .custom<(error: StoreErrorType) => void>((value) => typeof value === 'function', 'must be a function')
    .optional(),
};
/**
 * The settings every Redis-protocol metrics store reads the same way, as a shape: prefix, flush timer,
 * retention. An intersection of the documented shapes (the type of a spread loses the field comments).
 */
export type MetricsStoreSettingsShape = typeof settingsShape & typeof retentionSchema;
// Annotated with the shapes' types so the declaration output keeps the field comments.
const settingsSchema: z.ZodObject<MetricsStoreSettingsShape> = z.object({
  ...settingsShape,
  ...retentionSchema,
});

/** The settings every Redis-protocol metrics store reads the same way: prefix, flush timer, retention. */
export type MetricsStoreSettings = z.input<typeof settingsSchema>;

function clientShape<Client>(clientDescription: string) {
  return {
    /** An existing client. The store never closes a client it did not create. */
    client: z
      .custom<Client>((value) => typeof value === 'object' && value !== null, `must be ${clientDescription}`)
      .optional(),
    /** Where to connect when no client is given (each store names its environment variable). */
    url: z.string().optional(),
  };
}

/** The shape of a metrics store's options on one Redis client: the client or where to build one, and the settings. */
export type MetricsStoreClientShape<Client> = ReturnType<typeof clientShape<Client>> &
  MetricsStoreSettingsShape;

/** The options of a metrics store on one Redis client, as a shape each store adds its own fields to. */
export function metricsStoreOptionsShape<Client>(clientDescription: string): MetricsStoreClientShape<Client> {
  return { ...clientShape<Client>(clientDescription), ...settingsShape, ...retentionSchema };
}

/** The options of a metrics store on one Redis client: the client, or where to build one. */
export type MetricsStoreClientOptions<Client> = z.input<z.ZodObject<MetricsStoreClientShape<Client>>>;

/** A Redis-protocol `MetricsStore` that also exposes its client. */
export type MetricsStoreWithClient<Client> = MetricsStore & { readonly client: Client };

function randomBatchId(): string {
  return globalThis.crypto.randomUUID();
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A `MetricsStore` on any client that speaks Redis, so that every instance adds into the same buckets.
 * Events are aggregated in memory and written on `flush()` (and every `flushIntervalMs`) by one atomic
 * script: HINCRBY on counter and histogram-bucket fields of a hash per minute, per hour and per day, with
 * PEXPIREAT for retention. Each batch carries a random id that the script records, so a batch resent
 * after a lost reply is counted once. Keys are derived from the workspace with `scopeKeys`:
 * `{prefix}ws:{workspaceId}:shared:metrics:m:{startMs}`; the all-workspaces total lives under
 * `{prefix}all:metrics:...`.
 */
export function redisCommandsMetricsStore(options: {
  /** The store's name, in errors and on the dashboard: `redis`, `upstash-redis`. */
  readonly name: string;
  readonly commands: MetricsRedisCommands;
  readonly settings: MetricsStoreSettings;
}): MetricsStore {
  const { name, commands, settings } = options;
  const prefix = settings.prefix ?? 'neptune:';
  const retentionMs = {
    minute: settings.minuteRetentionMs ?? DEFAULT_MINUTE_RETENTION_MS,
    hour: settings.hourRetentionMs ?? DEFAULT_HOUR_RETENTION_MS,
    day: settings.dayRetentionMs ?? DEFAULT_DAY_RETENTION_MS,
  };
  const maxRecentErrors = settings.maxRecentErrors ?? DEFAULT_MAX_RECENT_ERRORS;
  const flushIntervalMs = settings.flushIntervalMs ?? 5_000;

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
      await commands.eval(APPLY_BATCH_SCRIPT, keys, argv);
    } catch (error) {
      if (commands.isRefusal(error)) {
        unconfirmed = undefined;
        throw new StoreError({
          message: `${name} metrics store: Redis refused part of a metrics write (${describeError(error)}). The keys under prefix ${JSON.stringify(prefix)} may hold values of another type; use a prefix of their own.`,
          cause: error,
          isRetryable: false,
        });
      }
      commands.onWriteFailure?.(error);
      throw new StoreError({
        message: `${name} metrics store could not write metrics: ${describeError(error)}. The figures are kept and written on the next flush, at most once.`,
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
          flush().catch((error: StoreErrorType) => settings.onError?.(error));
        }, flushIntervalMs)
      : undefined;
  // A metrics timer must never keep a process (or a test run) alive.
  (timer as { unref?: () => void } | undefined)?.unref?.();

  const reading = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      throw new StoreError({
        message: `${name} metrics store could not ${what}: ${describeError(error)}.`,
        cause: error,
      });
    }
  };

  return {
    name,
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
      const keys = starts.map((startMs) => bucketKey(resolution, workspace, startMs));
      const hashes = await reading('read metrics', () => commands.eval(READ_BUCKETS_SCRIPT, keys, []));
      return (hashes as unknown[]).flatMap((hash, position) => {
        const fields = toFields(hash);
        return Object.keys(fields).length > 0
          ? [{ startMs: starts[position]!, aggregate: aggregateFromFields(fields) }]
          : [];
      });
    },
    async recentErrors(view: MetricsView, limit: number): Promise<RecordedError[]> {
      const workspace = viewKey(view);
      await flush();
      if (limit <= 0) return [];
      const entries = await reading('read recent errors', () =>
        commands.eval(READ_ERRORS_SCRIPT, [errorsKey(workspace)], [String(limit - 1)]),
      );
      return (entries as unknown[]).flatMap((entry) => {
        // A client that parses replies hands the error back as an object already.
        if (typeof entry === 'object' && entry !== null) return [entry as RecordedError];
        try {
          return [JSON.parse(String(entry)) as RecordedError];
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
        await commands.close?.();
      }
    },
  };
}
