import type { TelemetryChannel } from '@neptune/core';
import { COUNTER, HISTOGRAM } from '../metrics/metric-names';
import { type TrackerContext, writerFor } from './tracker-context';

/** Model and embedding calls: calls and tokens per model (input, cached input, output), and latency. */
export function trackModels(telemetry: TelemetryChannel, context: TrackerContext): Array<() => void> {
  return [
    telemetry.on('model-call', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.modelCalls + event.model);
      writer.increment(COUNTER.modelInputTokens + event.model, event.inputTokens);
      writer.increment(COUNTER.modelOutputTokens + event.model, event.outputTokens);
      if (event.cachedInputTokens !== undefined)
        writer.increment(COUNTER.modelCachedInputTokens + event.model, event.cachedInputTokens);
      writer.observe(HISTOGRAM.modelDurationMs, event.durationMs);
    }),
    telemetry.on('embedding-call', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.modelCalls + event.model);
      writer.increment(COUNTER.modelInputTokens + event.model, event.inputTokens);
    }),
  ];
}
