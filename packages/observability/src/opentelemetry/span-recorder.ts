import type { NeptuneEvent, NeptuneEventOf } from '@neptune/core';
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { embeddingCallAttributes, modelCallAttributes, recordGenAiMetrics } from './gen-ai-telemetry';
import type { OpenTelemetryInstruments } from './open-telemetry-instruments';

interface SpanRecorderOptions {
  readonly includeErrorMessages: boolean;
  readonly cacheSpans: boolean;
}

/** Requests whose `request-end` never came are ended (marked abandoned) past this many. */
const MAX_OPEN_REQUESTS = 10_000;

interface Timed {
  readonly timestamp: number;
  readonly durationMs: number;
  readonly requestId?: string | undefined;
  readonly scope?: { readonly workspaceId: string } | undefined;
}

/**
 * Turns events into spans after the fact: an event arrives when its operation ends, carrying its
 * duration, so each span is started at `timestamp - durationMs` and ended at `timestamp`.
 */
interface OpenRequest {
  readonly span: Span;
  /** The context with the request span active, made once and reused as every child's parent. */
  readonly context: Context;
}

export class SpanRecorder {
  readonly #openRequests = new Map<string, OpenRequest>();

  constructor(
    private readonly tracer: Tracer,
    private readonly instruments: OpenTelemetryInstruments,
    private readonly options: SpanRecorderOptions,
  ) {}

  record(event: NeptuneEvent): void {
    switch (event.type) {
      case 'request-start':
        this.#requestStart(event);
        return;
      case 'request-end':
        this.#requestEnd(event);
        return;
      case 'model-call':
        this.#modelCall(event);
        return;
      case 'embedding-call':
        this.#embeddingCall(event);
        return;
      case 'cache-hit':
      case 'cache-miss':
      case 'cache-stale':
      case 'cache-error':
        this.#cacheLookup(event, event.type.slice('cache-'.length));
        return;
      case 'retrieval-end':
        this.instruments.retrievalDuration.record(event.durationMs / 1000, {
          'neptune.retrieval.cached': event.cached,
        });
        this.#span('neptune.retrieval', event, SpanKind.INTERNAL, {
          'neptune.retrieval.results': event.results,
          'neptune.retrieval.legs': event.legs as string[],
          'neptune.retrieval.cached': event.cached,
          'neptune.workspace.id': event.scope?.workspaceId,
        });
        return;
      case 'context-gather':
        this.#span('neptune.context.gather', event, SpanKind.INTERNAL, {
          'neptune.context.sources': event.sources,
          'neptune.context.failed_sources': event.failed as string[],
          'neptune.context.cache_hits': event.cacheHits,
          'neptune.workspace.id': event.scope?.workspaceId,
        });
        return;
      case 'context-assemble':
        this.#requestSpan(event)?.setAttributes({
          'neptune.context.tokens_before': event.tokensBefore,
          'neptune.context.tokens_after': event.tokensAfter,
          'neptune.context.items': event.items,
          'neptune.context.dropped': event.dropped,
        });
        return;
      case 'db-query':
        this.instruments.databaseDuration.record(event.durationMs / 1000, {
          'neptune.db.query.name': event.name,
        });
        this.#span(`neptune.db ${event.name}`, event, SpanKind.CLIENT, {
          'neptune.db.query.name': event.name,
          'neptune.db.rows': event.rows,
          'neptune.db.slow': event.slow,
          'neptune.workspace.id': event.scope?.workspaceId,
        });
        return;
      case 'memory-update':
        this.#span('neptune.memory.update', event, SpanKind.INTERNAL, {
          'neptune.memory.facts': event.facts,
          'neptune.memory.summarized': event.summarized,
          'neptune.workspace.id': event.scope?.workspaceId,
        });
        return;
      case 'error':
        this.#error(event);
        return;
      default:
        return;
    }
  }

  /** Ends requests still open (on unsubscribe), so their spans are not lost. */
  endOpenRequests(): void {
    for (const { span } of this.#openRequests.values())
      span.setAttribute('neptune.request.abandoned', true).end();
    this.#openRequests.clear();
  }

  #requestSpan(event: { readonly requestId?: string | undefined }): Span | undefined {
    return event.requestId === undefined ? undefined : this.#openRequests.get(event.requestId)?.span;
  }

  /** The request's span when it is open; otherwise whatever the app has active. */
  #parent(event: { readonly requestId?: string | undefined }): Context {
    const open = event.requestId === undefined ? undefined : this.#openRequests.get(event.requestId);
    return open === undefined ? context.active() : open.context;
  }

  #span(name: string, event: Timed, kind: SpanKind, attributes: Attributes): void {
    const span = this.tracer.startSpan(
      name,
      { kind, startTime: event.timestamp - event.durationMs, attributes },
      this.#parent(event),
    );
    span.end(event.timestamp);
  }

  #requestStart(event: NeptuneEventOf<'request-start'>): void {
    if (event.requestId === undefined) return;
    if (this.#openRequests.size >= MAX_OPEN_REQUESTS) {
      const [oldestId, oldest] = this.#openRequests.entries().next().value!;
      oldest.span.setAttribute('neptune.request.abandoned', true).end();
      this.#openRequests.delete(oldestId);
    }
    const parent = context.active();
    const span = this.tracer.startSpan(
      'neptune.request',
      {
        kind: SpanKind.INTERNAL,
        startTime: event.timestamp,
        attributes: {
          'neptune.request.id': event.requestId,
          'neptune.route': event.route,
          'neptune.workspace.id': event.scope?.workspaceId,
        },
      },
      parent,
    );
    this.#openRequests.set(event.requestId, { span, context: trace.setSpan(parent, span) });
  }

  #requestEnd(event: NeptuneEventOf<'request-end'>): void {
    const open = this.#requestSpan(event);
    const span =
      open ??
      this.tracer.startSpan(
        'neptune.request',
        {
          kind: SpanKind.INTERNAL,
          startTime: event.timestamp - event.durationMs,
          attributes: { 'neptune.workspace.id': event.scope?.workspaceId },
        },
        context.active(),
      );
    span.setAttributes({
      'neptune.request.input_tokens': event.inputTokens,
      'neptune.request.output_tokens': event.outputTokens,
      'neptune.request.passages': event.passages,
      'neptune.request.time_to_first_token_ms': event.timeToFirstTokenMs,
      'neptune.request.cited_passages': event.citedPassages,
      'neptune.request.degraded': event.degraded?.length ? [...event.degraded] : undefined,
    });
    if (!event.ok) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(event.timestamp);
    if (event.requestId !== undefined) this.#openRequests.delete(event.requestId);
    this.instruments.requestDuration.record(event.durationMs / 1000, { 'neptune.request.ok': event.ok });
  }

  #modelCall(event: NeptuneEventOf<'model-call'>): void {
    this.#span(`chat ${event.model}`, event, SpanKind.CLIENT, modelCallAttributes(event));
    recordGenAiMetrics(this.instruments, 'chat', event, event.outputTokens);
  }

  #embeddingCall(event: NeptuneEventOf<'embedding-call'>): void {
    this.#span(`embeddings ${event.model}`, event, SpanKind.CLIENT, embeddingCallAttributes(event));
    recordGenAiMetrics(this.instruments, 'embeddings', event, undefined);
  }

  #cacheLookup(
    event: NeptuneEventOf<'cache-hit' | 'cache-miss' | 'cache-stale' | 'cache-error'>,
    result: string,
  ): void {
    this.instruments.cacheLookups.add(1, {
      'neptune.cache.kind': event.kind,
      'neptune.cache.result': result,
    });
    if (!this.options.cacheSpans) return;
    this.#span(`neptune.cache ${event.kind}`, event, SpanKind.INTERNAL, {
      'neptune.cache.kind': event.kind,
      'neptune.cache.result': result,
      'neptune.cache.tier': event.tier,
      'neptune.cache.tokens_saved': event.tokensSaved,
      'neptune.workspace.id': event.scope?.workspaceId,
    });
  }

  #error(event: NeptuneEventOf<'error'>): void {
    this.instruments.errors.add(1, { 'neptune.error.source': event.source, 'error.type': event.code });
    const span = this.#requestSpan(event) ?? trace.getActiveSpan();
    if (span === undefined) return;
    span.addEvent(
      'exception',
      {
        'exception.type': event.code,
        'exception.message': this.options.includeErrorMessages ? event.message : undefined,
        'neptune.error.source': event.source,
        'neptune.error.retryable': event.retryable,
      },
      event.timestamp,
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: event.code });
  }
}
