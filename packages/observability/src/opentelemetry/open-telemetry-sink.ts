import { parseOptions, type TelemetryChannel } from '@neptune/core';
import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import { z } from 'zod';
import type { TelemetrySink } from '../telemetry-sink';
import { createInstruments } from './open-telemetry-instruments';
import { SpanRecorder } from './span-recorder';

/** The instrumentation scope name of the tracer and meter the sink uses. */
export const INSTRUMENTATION_SCOPE = '@neptune/observability';

const isObject = (value: unknown) => typeof value === 'object' && value !== null;
const optionsShape = {
  /**
   * Where spans go. Default: the app's global provider (`trace.getTracerProvider()`), read when the sink
   * subscribes, so Neptune's spans join the app's traces and exporters instead of bringing its own.
   */
  tracerProvider: z.custom<TracerProvider>(isObject, 'must be an OpenTelemetry TracerProvider').optional(),
  /** Where metrics go. Default: the app's global `metrics.getMeterProvider()`. */
  meterProvider: z.custom<MeterProvider>(isObject, 'must be an OpenTelemetry MeterProvider').optional(),
  /** Put error messages on span events. Default false: they may quote user content. */
  includeErrorMessages: z.boolean().optional(),
  /** A span per cache lookup. Default true; turn off when lookups are many and the counter is enough. */
  cacheSpans: z.boolean().optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `openTelemetrySink`. */
export type OpenTelemetrySinkOptions = z.input<typeof optionsSchema>;

interface Flushable {
  forceFlush?: () => Promise<void>;
  getDelegate?: () => unknown;
}

/** The real provider behind the API's proxy, when it can flush. */
async function forceFlush(provider: unknown): Promise<void> {
  const candidate = provider as Flushable;
  const target = (
    typeof candidate.getDelegate === 'function' ? candidate.getDelegate() : candidate
  ) as Flushable;
  if (typeof target?.forceFlush === 'function') await target.forceFlush();
}

/**
 * Spans and metrics named by the OpenTelemetry GenAI conventions (model and embedding calls), plus
 * Neptune's request, cache, retrieval, context and database spans. Uses `@opentelemetry/api` only: it
 * joins the app's existing tracer and meter providers and never registers its own. A request's spans
 * are children of its `neptune.request` span, which is a child of whatever span is active when the
 * request starts (the app's HTTP span, typically).
 */
export function openTelemetrySink(options: OpenTelemetrySinkOptions = {}): TelemetrySink {
  const checked = parseOptions(optionsSchema, options, 'openTelemetrySink options');
  const tracerProvider = () => checked.tracerProvider ?? trace.getTracerProvider();
  const meterProvider = () => checked.meterProvider ?? metrics.getMeterProvider();
  return {
    name: 'opentelemetry',
    subscribe(telemetry: TelemetryChannel) {
      const recorder = new SpanRecorder(
        tracerProvider().getTracer(INSTRUMENTATION_SCOPE),
        createInstruments(meterProvider().getMeter(INSTRUMENTATION_SCOPE)),
        {
          includeErrorMessages: checked.includeErrorMessages ?? false,
          cacheSpans: checked.cacheSpans ?? true,
        },
      );
      const unsubscribe = telemetry.subscribe((event) => recorder.record(event));
      return () => {
        unsubscribe();
        recorder.endOpenRequests();
      };
    },
    // Serverless functions freeze after the response: pending spans and metrics must go out first.
    flush: async () => {
      await Promise.all([forceFlush(tracerProvider()), forceFlush(meterProvider())]);
    },
  };
}
