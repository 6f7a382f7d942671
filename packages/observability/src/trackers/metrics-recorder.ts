import { parseOptions } from '@neptune/core';
import { z } from 'zod';
import type { MetricsStore } from '../metrics/metrics-store';
import type { TelemetrySink } from '../telemetry-sink';
import { trackCache } from './cache-tracker';
import { DEFAULT_SLOW_QUERY_THRESHOLD_MS, trackDatabase } from './database-tracker';
import { trackErrors } from './error-tracker';
import { trackFeedback } from './feedback-tracker';
import { trackModels } from './model-tracker';
import { RequestRegistry } from './request-registry';
import { trackRequests } from './request-tracker';

/** What `metricsRecorder` returns: a telemetry sink, and the store it writes to. */
export type MetricsRecorder = TelemetrySink & { readonly store: MetricsStore };

const optionsShape = {
  /** Where figures go: `memoryMetricsStore()` or `redisMetricsStore()`. */
  store: z.custom<MetricsStore>(
    (value) => typeof (value as MetricsStore | undefined)?.writer === 'function',
    'must be a MetricsStore, e.g. memoryMetricsStore()',
  ),
  /** Queries slower than this count as slow, in ms. Default 100. */
  slowQueryThresholdMs: z.number().positive().optional(),
  /** Keep error messages (cut to 300 characters). Default false: they may quote user content. */
  includeErrorMessages: z.boolean().optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `metricsRecorder`. */
export type MetricsRecorderOptions = z.input<typeof optionsSchema>;

/**
 * Records Neptune's telemetry into a metrics store: requests, cache, database queries, model calls,
 * ratings and errors. Every listener is synchronous and does a few map updates; nothing is awaited on the request path.
 */
export function metricsRecorder(options: MetricsRecorderOptions): MetricsRecorder {
  const checked = parseOptions(optionsSchema, options, 'metricsRecorder options');
  const { store } = checked;
  const slowQueryThresholdMs = checked.slowQueryThresholdMs ?? DEFAULT_SLOW_QUERY_THRESHOLD_MS;
  const includeErrorMessages = checked.includeErrorMessages ?? false;
  return {
    name: 'metrics',
    store,
    subscribe(telemetry) {
      const context = { store, requests: new RequestRegistry() };
      const unsubscribers = [
        ...trackRequests(telemetry, context),
        ...trackCache(telemetry, context),
        ...trackDatabase(telemetry, context, slowQueryThresholdMs),
        ...trackModels(telemetry, context),
        ...trackErrors(telemetry, context, { includeErrorMessages }),
        ...trackFeedback(telemetry, context),
      ];
      return () => {
        for (const unsubscribe of unsubscribers) unsubscribe();
      };
    },
    flush: () => store.flush(),
  };
}
