import { parseOptions } from '@neptune/core';
import { z } from 'zod';
import { ALL_WORKSPACES, BucketedAggregates, viewKey } from '../metrics/bucketed-aggregates';
import { MetricsAggregate } from '../metrics/metrics-aggregate';
import {
  bucketStart,
  type MetricsBucket,
  type MetricsStore,
  MINUTE_MS,
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

const optionsShape = {
  /** The clock retention is measured against. Default `Date.now`. */
  now: z
    .custom<() => number>((value) => typeof value === 'function', 'must be a function returning epoch ms')
    .optional(),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
const optionsSchema: z.ZodObject<typeof retentionSchema & typeof optionsShape> = z.object({
  ...retentionSchema,
  ...optionsShape,
});

/** Options of `memoryMetricsStore`: how long each bucket size is kept. */
export type MemoryMetricsStoreOptions = z.input<typeof optionsSchema>;

/**
 * Metrics in this process's memory: the default for one instance, tests and the demo. Several instances
 * each see only their own figures; use `redisMetricsStore` from `@neptune/observability/redis` to
 * aggregate them.
 */
export function memoryMetricsStore(options: MemoryMetricsStoreOptions = {}): MetricsStore {
  const checked = parseOptions(optionsSchema, options, 'memoryMetricsStore options');
  const minuteRetentionMs = checked.minuteRetentionMs ?? DEFAULT_MINUTE_RETENTION_MS;
  const hourRetentionMs = checked.hourRetentionMs ?? DEFAULT_HOUR_RETENTION_MS;
  const dayRetentionMs = checked.dayRetentionMs ?? DEFAULT_DAY_RETENTION_MS;
  const maxRecentErrors = checked.maxRecentErrors ?? DEFAULT_MAX_RECENT_ERRORS;
  const now = checked.now ?? Date.now;
  const buckets = new BucketedAggregates();
  const errors = new Map<string, RecordedError[]>();
  let prunedAtMinute = 0;

  const pruneWhenMinuteChanges = (): void => {
    const current = now();
    const minute = bucketStart(current, 'minute');
    if (minute === prunedAtMinute) return;
    prunedAtMinute = minute;
    buckets.prune('minute', current - minuteRetentionMs);
    buckets.prune('hour', current - hourRetentionMs);
    buckets.prune('day', current - dayRetentionMs);
  };

  const keep = (workspace: string, error: RecordedError): void => {
    const list = errors.get(workspace) ?? [];
    list.unshift(error);
    if (list.length > maxRecentErrors) list.length = maxRecentErrors;
    errors.set(workspace, list);
  };

  return {
    name: 'memory',
    writer(workspaceId, timestampMs) {
      // Pruning is checked once per new bucket writer, not per event.
      if (timestampMs - prunedAtMinute >= MINUTE_MS) pruneWhenMinuteChanges();
      return buckets.writer(workspaceId, timestampMs);
    },
    recordError(error) {
      if (maxRecentErrors === 0) return;
      keep(ALL_WORKSPACES, error);
      if (error.workspaceId !== undefined) keep(error.workspaceId, error);
    },
    async read({ view, resolution, fromMs, toMs }) {
      pruneWhenMinuteChanges();
      const workspace = viewKey(view);
      const found: MetricsBucket[] = [];
      const step = resolutionMs(resolution);
      for (let startMs = bucketStart(fromMs, resolution); startMs <= toMs; startMs += step) {
        const aggregate = buckets.get(resolution, workspace, startMs);
        // A copy: callers may merge into what they get back.
        if (aggregate !== undefined && !aggregate.isEmpty)
          found.push({ startMs, aggregate: MetricsAggregate.combine([aggregate]) });
      }
      return found;
    },
    async recentErrors(view, limit) {
      return (errors.get(viewKey(view)) ?? []).slice(0, limit);
    },
    async flush() {},
    async close() {},
  };
}
