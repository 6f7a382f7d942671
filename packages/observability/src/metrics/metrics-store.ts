import { checkArgument } from '@neptune/core';
import type { MetricsAggregate } from './metrics-aggregate';

/** A minute bucket's width, in ms. */
export const MINUTE_MS = 60_000;
/** An hour bucket's width, in ms. */
export const HOUR_MS = 3_600_000;
/** A day in milliseconds: the width of a day bucket. */
export const DAY_MS = 86_400_000;

/** Minute buckets serve the last hour; hour buckets serve days and weeks; day buckets serve 30-day trends. */
export type MetricsResolution = 'minute' | 'hour' | 'day';

export const METRICS_RESOLUTIONS: readonly MetricsResolution[] = ['minute', 'hour', 'day'];

const RESOLUTION_MS: Record<MetricsResolution, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

export function resolutionMs(resolution: MetricsResolution): number {
  return RESOLUTION_MS[resolution];
}

/** The start of the bucket that holds `timestampMs` (UTC-aligned). */
export function bucketStart(timestampMs: number, resolution: MetricsResolution): number {
  checkArgument(
    Number.isFinite(timestampMs),
    'bucketStart: timestampMs',
    'epoch milliseconds (a finite number)',
    timestampMs,
  );
  checkArgument(
    Object.hasOwn(RESOLUTION_MS, resolution),
    'bucketStart: resolution',
    '"minute", "hour" or "day"',
    resolution,
  );
  const size = resolutionMs(resolution);
  return Math.floor(timestampMs / size) * size;
}

/**
 * Whose figures a read covers. Spelled out rather than `workspaceId?: string`, so that a forgotten id
 * can never turn into "every workspace".
 */
export type MetricsView = { readonly workspaceId: string } | { readonly allWorkspaces: true };

/** Writes into the buckets of one workspace (and the all-workspaces total) for one minute. */
export interface MetricsWriter {
  /** Adds an integer to a counter. */
  increment(name: string, by?: number): void;
  /** Records one value in a histogram. */
  observe(name: string, value: number): void;
}

/** An error as kept for the dashboard: ids and codes; the message only when the app opted in. */
export interface RecordedError {
  readonly timestamp: number;
  readonly source: string;
  readonly code: string;
  readonly retryable: boolean;
  readonly workspaceId?: string | undefined;
  readonly requestId?: string | undefined;
  /** The route of the request the error happened in, when `request-start` named it. */
  readonly route?: string | undefined;
  readonly message?: string | undefined;
}

/** A read of the metrics store: one view's buckets of one resolution, over a time span. */
export interface MetricsQuery {
  readonly view: MetricsView;
  readonly resolution: MetricsResolution;
  /** Bucket starts from `fromMs` to `toMs`, both inclusive (epoch milliseconds). */
  readonly fromMs: number;
  readonly toMs: number;
}

/** The aggregate of one time bucket. */
export interface MetricsBucket {
  /** Epoch milliseconds at which the bucket starts. */
  readonly startMs: number;
  readonly aggregate: MetricsAggregate;
}

/**
 * Where metrics accumulate: per-minute, per-hour and per-day (UTC) buckets per workspace, plus the all-workspaces total,
 * each kept for its retention. Writing is synchronous and never throws (it runs inside telemetry
 * listeners on the request path); shared stores buffer and write on `flush()`.
 */
export interface MetricsStore {
  readonly name: string;
  /** A writer for the bucket of `timestampMs`; `workspaceId` undefined counts towards the total only. */
  writer(workspaceId: string | undefined, timestampMs: number): MetricsWriter;
  recordError(error: RecordedError): void;
  /** The non-empty buckets in the range, oldest first. */
  read(query: MetricsQuery): Promise<MetricsBucket[]>;
  /** The latest errors, newest first. */
  recentErrors(view: MetricsView, limit: number): Promise<RecordedError[]>;
  /** Writes buffered figures out; resolves when they are stored. A no-op for the in-memory store. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
