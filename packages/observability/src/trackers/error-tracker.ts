import type { TelemetryChannel } from '@neptune/core';
import { COUNTER } from '../metrics/metric-names';
import { type TrackerContext, writerFor } from './tracker-context';

export interface ErrorTrackingOptions {
  /**
   * Keep error messages. Off by default: a message can quote user input or a document, and the
   * dashboard and Redis are not the place for either. Codes, sources and request ids are always kept.
   */
  readonly includeErrorMessages: boolean;
}

/** Longest error message kept when messages are on. */
const MAX_MESSAGE_LENGTH = 300;

/** Errors by source and code, and the latest ones with their context for the dashboard. */
export function trackErrors(
  telemetry: TelemetryChannel,
  context: TrackerContext,
  options: ErrorTrackingOptions,
): Array<() => void> {
  return [
    telemetry.on('error', (event) => {
      const writer = writerFor(context, event);
      writer.increment(COUNTER.errors);
      writer.increment(COUNTER.errorsBySource + event.source);
      writer.increment(COUNTER.errorsByCode + event.code);
      context.store.recordError({
        timestamp: event.timestamp,
        source: event.source,
        code: event.code,
        retryable: event.retryable,
        workspaceId: context.requests.workspaceOf(event),
        requestId: event.requestId,
        route: context.requests.routeOf(event),
        message: options.includeErrorMessages ? event.message.slice(0, MAX_MESSAGE_LENGTH) : undefined,
      });
    }),
  ];
}
