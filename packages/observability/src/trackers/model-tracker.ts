import type { TelemetryChannel } from '@neptune/core';
import { COUNTER, experimentCounter, HISTOGRAM, variantKey } from '../metrics/metric-names';
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
      const experiment = context.requests.experimentOf(event);
      if (experiment !== undefined) {
        const key = variantKey(experiment);
        writer.increment(experimentCounter('model-calls', key, event.model));
        writer.increment(experimentCounter('model-input', key, event.model), event.inputTokens);
        writer.increment(experimentCounter('model-output', key, event.model), event.outputTokens);
        if (event.cachedInputTokens !== undefined)
          writer.increment(experimentCounter('model-cached', key, event.model), event.cachedInputTokens);
      }
    }),
    telemetry.on('embedding-call', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.modelCalls + event.model);
      writer.increment(COUNTER.modelInputTokens + event.model, event.inputTokens);
    }),
  ];
}
