import type { NeptuneEvent, TelemetryChannel } from '@neptune/core';

export interface SimulatedRequest {
  readonly workspaceId: string;
  readonly requestId: string;
  /** When the request ended (epoch ms). */
  readonly endMs: number;
  readonly durationMs: number;
  readonly cacheHits: ReadonlyArray<{ kind: string; tokensSaved?: number }>;
  readonly cacheMisses: readonly string[];
  readonly passages: number;
  readonly model: string;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly ok?: boolean;
}

/**
 * The events one assistant request emits, in order: start, cache lookups, context gather, retrieval,
 * assembly, the model call (scope-less, as providers emit it, tied by request id), a query, the end.
 */
export function requestEvents(request: SimulatedRequest): NeptuneEvent[] {
  const scope = { workspaceId: request.workspaceId };
  const startMs = request.endMs - request.durationMs;
  const base = { scope, requestId: request.requestId };
  return [
    { type: 'request-start', timestamp: startMs, ...base, route: '/api/assistant/chat' },
    ...request.cacheHits.map(
      (hit): NeptuneEvent => ({
        type: 'cache-hit',
        timestamp: startMs + 1,
        ...base,
        kind: hit.kind,
        durationMs: 0.4,
        tokensSaved: hit.tokensSaved,
      }),
    ),
    ...request.cacheMisses.map(
      (kind): NeptuneEvent => ({
        type: 'cache-miss',
        timestamp: startMs + 2,
        ...base,
        kind,
        durationMs: 0.6,
      }),
    ),
    {
      type: 'context-gather',
      timestamp: startMs + 120,
      ...base,
      durationMs: 118,
      sources: 3,
      failed: [],
      cacheHits: request.cacheHits.length,
    },
    {
      type: 'retrieval-end',
      timestamp: startMs + 200,
      ...base,
      durationMs: 80,
      results: request.passages,
      legs: ['vector', 'keyword'],
      cached: false,
    },
    {
      type: 'context-assemble',
      timestamp: startMs + 210,
      ...base,
      tokensBefore: 6_000,
      tokensAfter: 3_600,
      items: 12,
      dropped: 4,
    },
    {
      type: 'model-call',
      timestamp: request.endMs - 5,
      requestId: request.requestId,
      provider: 'openai',
      model: request.model,
      operation: 'stream',
      inputTokens: request.inputTokens,
      cachedInputTokens: request.cachedInputTokens,
      outputTokens: request.outputTokens,
      durationMs: request.durationMs - 250,
      timeToFirstTokenMs: 300,
      finishReason: 'stop',
    },
    {
      type: 'db-query',
      timestamp: startMs + 30,
      ...base,
      name: 'crm.leads',
      durationMs: 20,
      rows: 10,
      slow: false,
    },
    {
      type: 'request-end',
      timestamp: request.endMs,
      ...base,
      durationMs: request.durationMs,
      timeToFirstTokenMs: 550,
      inputTokens: request.inputTokens,
      outputTokens: request.outputTokens,
      passages: request.passages,
      ok: request.ok ?? true,
    },
  ];
}

export function emitAll(telemetry: TelemetryChannel, events: readonly NeptuneEvent[]): void {
  for (const event of events) telemetry.emit(event);
}
