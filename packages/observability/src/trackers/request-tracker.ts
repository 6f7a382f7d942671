import type { TelemetryChannel } from '@neptune/core';
import { COUNTER, experimentCounter, HISTOGRAM, variantKey } from '../metrics/metric-names';
import { type TrackerContext, writerFor } from './tracker-context';

/**
 * Requests (count, failures, duration, time to first token, tokens, passages), retrieval (searches,
 * results, latency) and context assembly (tokens before and after pruning).
 */
export function trackRequests(telemetry: TelemetryChannel, context: TrackerContext): Array<() => void> {
  return [
    telemetry.on('request-start', (event) => {
      if (event.requestId !== undefined)
        context.requests.start(event.requestId, {
          workspaceId: event.scope?.workspaceId,
          route: event.route,
          experiment: event.experiment,
        });
    }),
    telemetry.on('request-end', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.requests);
      if (!event.ok) writer.increment(COUNTER.requestsFailed);
      writer.observe(HISTOGRAM.requestDurationMs, event.durationMs);
      if (event.timeToFirstTokenMs !== undefined)
        writer.observe(HISTOGRAM.requestTimeToFirstTokenMs, event.timeToFirstTokenMs);
      if (event.inputTokens !== undefined) writer.increment(COUNTER.requestInputTokens, event.inputTokens);
      if (event.outputTokens !== undefined) writer.increment(COUNTER.requestOutputTokens, event.outputTokens);
      if (event.passages !== undefined) writer.increment(COUNTER.requestPassages, event.passages);
      if (event.passages !== undefined && event.citedPassages !== undefined) {
        writer.increment(COUNTER.requestPassagesMeasured, event.passages);
        writer.increment(COUNTER.requestCitedPassages, event.citedPassages);
      }
      if (event.degraded !== undefined && event.degraded.length > 0) {
        writer.increment(COUNTER.requestsDegraded);
        // By part (`knowledge.vector` counts as `knowledge`), once per request.
        const parts = new Set(event.degraded.map((label) => label.split('.')[0]!));
        for (const part of parts) writer.increment(`${COUNTER.requestsDegradedByPart}${part}`);
      }
      const experiment = event.experiment ?? context.requests.experimentOf(event);
      if (experiment !== undefined) {
        const key = variantKey(experiment);
        writer.increment(experimentCounter('requests', key));
        if (!event.ok) writer.increment(experimentCounter('failed', key));
        writer.observe(experimentCounter(HISTOGRAM.requestDurationMs, key), event.durationMs);
        if (event.passages !== undefined && event.citedPassages !== undefined) {
          writer.increment(experimentCounter('passages-measured', key), event.passages);
          writer.increment(experimentCounter('cited', key), event.citedPassages);
        }
      }
      if (event.requestId !== undefined) context.requests.end(event.requestId);
    }),
    telemetry.on('retrieval-end', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.retrievalSearches);
      writer.increment(COUNTER.retrievalResults, event.results);
      writer.observe(HISTOGRAM.retrievalResults, event.results);
      writer.observe(HISTOGRAM.retrievalDurationMs, event.durationMs);
      if (event.cached) writer.increment(COUNTER.retrievalCached);
      if (event.results === 0) writer.increment(COUNTER.retrievalEmpty);
    }),
    telemetry.on('context-gather', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.contextGathers);
      writer.increment(COUNTER.contextFailedSources, event.failed.length);
      writer.observe(HISTOGRAM.contextGatherDurationMs, event.durationMs);
    }),
    telemetry.on('context-assemble', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.contextTokensBefore, event.tokensBefore);
      writer.increment(COUNTER.contextTokensAfter, event.tokensAfter);
    }),
  ];
}
