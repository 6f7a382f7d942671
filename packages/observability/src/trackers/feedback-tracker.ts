import type { TelemetryChannel } from '@neptune/core';
import { COUNTER, experimentCounter, variantKey } from '../metrics/metric-names';
import { type TrackerContext, writerFor } from './tracker-context';

/**
 * Ratings of answers, and answers to memory's suggestions. Ratings: how many, how many positive, the score sum; per workspace again in the total only,
 * so the operator's view can rank workspaces while a workspace's own view holds nothing of the others.
 */
export function trackFeedback(telemetry: TelemetryChannel, context: TrackerContext): Array<() => void> {
  return [
    telemetry.on('feedback', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.feedbackRatings);
      if (event.positive) writer.increment(COUNTER.feedbackPositive);
      writer.increment(COUNTER.feedbackScoreMilli, Math.round(event.score * 1_000));
      if (event.experiment !== undefined) {
        const key = variantKey(event.experiment);
        writer.increment(experimentCounter('ratings', key));
        if (event.positive) writer.increment(experimentCounter('positive', key));
      }
      const workspaceId = context.requests.workspaceOf(event);
      if (workspaceId === undefined) return;
      const total = context.store.writer(undefined, event.timestamp);
      total.increment(COUNTER.feedbackRatingsByWorkspace + workspaceId);
      if (event.positive) total.increment(COUNTER.feedbackPositiveByWorkspace + workspaceId);
    }),
    telemetry.on('suggestion-shown', (event) => {
      writerFor(context, event).increment(COUNTER.suggestionsShown + event.kind, event.count);
    }),
    telemetry.on('suggestion-feedback', (event) => {
      writerFor(context, event).increment(
        (event.accepted ? COUNTER.suggestionsAccepted : COUNTER.suggestionsRejected) + event.kind,
      );
    }),
  ];
}
