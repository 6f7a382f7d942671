import type { MetricsStore, MetricsWriter } from '../metrics/metrics-store';
import type { EventOrigin, RequestRegistry } from './request-registry';

/** What every tracker needs: where to write, and how to find an event's workspace. */
export interface TrackerContext {
  readonly store: MetricsStore;
  readonly requests: RequestRegistry;
}

/** The writer for the event's workspace and minute. */
export function writerFor(context: TrackerContext, event: EventOrigin): MetricsWriter {
  return context.store.writer(context.requests.workspaceOf(event), event.timestamp);
}
