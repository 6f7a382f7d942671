import type { NeptuneEvent, TelemetryChannel, TelemetryScope } from '@neptune/core';

/** What `withEventContext` stamps on events: the request's scope and id. */
export interface EventContext {
  readonly scope?: TelemetryScope | undefined;
  readonly requestId?: string | undefined;
}

/**
 * A channel that stamps a request's scope and id on every event that lacks them, then passes it on.
 * Give it as `telemetry` to what you create per request (a chat model, an embedder), so their events
 * count for the right workspace and nest under the right request span. Listening goes to the parent.
 */
export function withEventContext(parent: TelemetryChannel, eventContext: EventContext): TelemetryChannel {
  return {
    get active() {
      return parent.active;
    },
    emit(event: NeptuneEvent) {
      if (!parent.active) return;
      parent.emit({
        ...event,
        scope: event.scope ?? eventContext.scope,
        requestId: event.requestId ?? eventContext.requestId,
      });
    },
    subscribe: (listener, types) => parent.subscribe(listener, types),
    on: (type, listener) => parent.on(type, listener),
  };
}
