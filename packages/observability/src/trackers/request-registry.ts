import type { ExperimentAssignment, TelemetryScope } from '@neptune/core';

/** The part of every event that says where it belongs. */
export interface EventOrigin {
  readonly timestamp: number;
  readonly scope?: TelemetryScope | undefined;
  readonly requestId?: string | undefined;
}

interface RequestFacts {
  readonly workspaceId: string | undefined;
  readonly route: string | undefined;
  readonly experiment?: ExperimentAssignment | undefined;
}

/** In-flight requests remembered, at most; the oldest is forgotten first (a request that never ended). */
const MAX_OPEN_REQUESTS = 10_000;

/**
 * Remembers the workspace and route of each request between `request-start` and `request-end`, so that
 * events carrying only a `requestId` (a model call deep in a provider) still count for their workspace.
 */
export class RequestRegistry {
  readonly #open = new Map<string, RequestFacts>();

  start(requestId: string, facts: RequestFacts): void {
    if (this.#open.size >= MAX_OPEN_REQUESTS) {
      const oldest = this.#open.keys().next().value;
      if (oldest !== undefined) this.#open.delete(oldest);
    }
    this.#open.set(requestId, facts);
  }

  end(requestId: string): void {
    this.#open.delete(requestId);
  }

  /** The event's own scope first, then its request's. */
  workspaceOf(event: EventOrigin): string | undefined {
    if (event.scope !== undefined) return event.scope.workspaceId;
    return event.requestId === undefined ? undefined : this.#open.get(event.requestId)?.workspaceId;
  }

  /** The experiment variant its request ran under, so a model call's tokens count for the variant. */
  experimentOf(event: EventOrigin): ExperimentAssignment | undefined {
    return event.requestId === undefined ? undefined : this.#open.get(event.requestId)?.experiment;
  }

  routeOf(event: EventOrigin): string | undefined {
    return event.requestId === undefined ? undefined : this.#open.get(event.requestId)?.route;
  }
}
