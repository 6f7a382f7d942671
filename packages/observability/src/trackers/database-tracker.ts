import type { TelemetryChannel } from '@neptune/core';
import { COUNTER, HISTOGRAM } from '../metrics/metric-names';
import { type TrackerContext, writerFor } from './tracker-context';

/** The plan's threshold: a query over 100 ms is slow. */
export const DEFAULT_SLOW_QUERY_THRESHOLD_MS = 100;

/** Database queries: count, latency, and slow ones by name (the label, never SQL or parameters). */
export function trackDatabase(
  telemetry: TelemetryChannel,
  context: TrackerContext,
  slowQueryThresholdMs: number,
): Array<() => void> {
  return [
    telemetry.on('db-query', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.databaseQueries);
      writer.observe(HISTOGRAM.databaseDurationMs, event.durationMs);
      // Either side may call it slow: the emitter knows its own budget, the app sets ours.
      if (event.slow || event.durationMs > slowQueryThresholdMs) {
        writer.increment(COUNTER.databaseSlowQueries);
        writer.increment(COUNTER.databaseSlowQueriesByName + event.name);
      }
    }),
  ];
}
