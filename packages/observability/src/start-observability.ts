import { defaultTelemetry, parseOptions, type TelemetryChannel } from '@neptune/core';
import { z } from 'zod';
import type { TelemetrySink } from './telemetry-sink';

/** What `flush` did: which sinks failed or ran out of time. */
export interface FlushReport {
  /** True when every sink flushed in time. */
  readonly ok: boolean;
  readonly failed: ReadonlyArray<{ readonly sink: string; readonly error: unknown }>;
  readonly timedOut: readonly string[];
}

/** What `startObservability` returns: the subscribed sinks, and how to flush and stop them. */
export interface Observability {
  readonly sinks: readonly TelemetrySink[];
  /**
   * Delivers everything buffered (metrics to Redis, spans to the exporter, events to Sentry). Never
   * rejects and never waits past the timeout, so a serverless handler can always `await` it (or hand it
   * to `waitUntil` / Next.js `after()`) before the function is frozen.
   */
  flush(options?: { readonly timeoutMs?: number | undefined }): Promise<FlushReport>;
  /** Unsubscribes every sink. */
  stop(): void;
}

const optionsShape = {
  /** The channel to listen to. Default: `defaultTelemetry()`, the one every package emits to. */
  telemetry: z
    .custom<TelemetryChannel>(
      (value) => typeof (value as TelemetryChannel | undefined)?.subscribe === 'function',
      'must be a TelemetryChannel',
    )
    .optional(),
  /** What to feed: `metricsRecorder(...)`, `openTelemetrySink()`, `sentrySink(...)`. */
  sinks: z
    .array(
      z.custom<TelemetrySink>(
        (value) => typeof (value as TelemetrySink | undefined)?.subscribe === 'function',
        'must be a TelemetrySink such as metricsRecorder({ store })',
      ),
    )
    .min(1, 'needs at least one sink, e.g. metricsRecorder({ store: memoryMetricsStore() })')
    .readonly(),
  /** How long `flush()` waits for a sink before giving up on it, in ms. Default 2,000. */
  flushTimeoutMs: z.number().int().positive().optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `startObservability`. */
export type ObservabilityOptions = z.input<typeof optionsSchema>;

/** Subscribes the sinks to Neptune's telemetry and returns one handle to flush and stop them. */
export function startObservability(options: ObservabilityOptions): Observability {
  const checked = parseOptions(optionsSchema, options, 'startObservability options');
  const telemetry = checked.telemetry ?? defaultTelemetry();
  const sinks = checked.sinks;
  const unsubscribers = sinks.map((sink) => sink.subscribe(telemetry));
  return {
    sinks,
    async flush(flushOptions = {}) {
      const timeoutMs = flushOptions.timeoutMs ?? checked.flushTimeoutMs ?? 2_000;
      const TIMED_OUT = Symbol('timed out');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
      });
      const outcomes = await Promise.all(
        sinks.map(async (sink) => {
          try {
            const outcome = await Promise.race([sink.flush(), deadline]);
            return outcome === TIMED_OUT ? { sink: sink.name, timedOut: true } : { sink: sink.name };
          } catch (error) {
            return { sink: sink.name, error };
          }
        }),
      );
      clearTimeout(timer);
      const failed = outcomes.flatMap((outcome) =>
        'error' in outcome ? [{ sink: outcome.sink, error: outcome.error }] : [],
      );
      const timedOut = outcomes.flatMap((outcome) => ('timedOut' in outcome ? [outcome.sink] : []));
      return { ok: failed.length === 0 && timedOut.length === 0, failed, timedOut };
    },
    stop() {
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
