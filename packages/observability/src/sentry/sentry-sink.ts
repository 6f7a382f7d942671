import {
  ConfigurationError,
  type NeptuneEvent,
  type NeptuneEventOf,
  type TelemetryChannel,
} from '@neptune/core';
import type { TelemetrySink } from '../telemetry-sink';
import type { SentryLike, SentrySpanLike, SentryStartSpanOptions } from './sentry-like';

/** Options of `sentrySink`. */
export interface SentrySinkOptions {
  /** The Sentry SDK the app initialised: `import * as Sentry from '@sentry/nextjs'`. */
  readonly sentry: SentryLike;
  /** Send error messages. Default false: they may quote user content. */
  readonly includeErrorMessages?: boolean | undefined;
  /** How long `flush()` waits for Sentry, in ms. Default 2,000. */
  readonly flushTimeoutMs?: number | undefined;
}

/** Stands in for the failure an `error` event reports: Sentry groups by its name (the code). */
export class NeptuneReportedError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
    // The stack would point at this adapter, not at the failure: leave it out rather than mislead.
    this.stack = `${code}: ${message}`;
  }
}

const SPAN_STATUS_ERROR = 2;
const MAX_OPEN_REQUESTS = 10_000;
const seconds = (milliseconds: number) => milliseconds / 1000;

/**
 * Sends Neptune's errors and spans to Sentry, tagged `component: neptune`. Model calls use Sentry's AI
 * monitoring ops and the GenAI attributes (`gen_ai.chat`, `gen_ai.usage.*`); cache lookups its cache
 * module's (`cache.get`, `cache.hit`); database queries `db`. Request spans join the app's active span.
 */
export function sentrySink(options: SentrySinkOptions): TelemetrySink {
  const sentry = (options as SentrySinkOptions | null | undefined)?.sentry;
  if (typeof sentry?.captureException !== 'function' || typeof sentry?.startInactiveSpan !== 'function') {
    throw new ConfigurationError({
      message:
        'sentrySink needs the Sentry SDK as `sentry`: import * as Sentry from "@sentry/nextjs" (or @sentry/node, v8 or later) and pass { sentry: Sentry }.',
    });
  }
  const openRequests = new Map<string, SentrySpanLike>();

  const span = (
    event: NeptuneEvent & { durationMs: number },
    start: Omit<SentryStartSpanOptions, 'startTime' | 'parentSpan'>,
  ) => {
    const parent = event.requestId === undefined ? undefined : openRequests.get(event.requestId);
    const started = sentry.startInactiveSpan({
      ...start,
      startTime: seconds(event.timestamp - event.durationMs),
      attributes: {
        component: 'neptune',
        'neptune.workspace.id': event.scope?.workspaceId,
        ...start.attributes,
      },
      ...(parent === undefined ? {} : { parentSpan: parent }),
    });
    started.end(seconds(event.timestamp));
  };

  const record = (event: NeptuneEvent): void => {
    switch (event.type) {
      case 'request-start': {
        if (event.requestId === undefined) return;
        if (openRequests.size >= MAX_OPEN_REQUESTS) {
          const [oldestId, oldest] = openRequests.entries().next().value!;
          oldest.end();
          openRequests.delete(oldestId);
        }
        openRequests.set(
          event.requestId,
          sentry.startInactiveSpan({
            name: event.route === undefined ? 'neptune.request' : `neptune.request ${event.route}`,
            op: 'neptune.request',
            startTime: seconds(event.timestamp),
            attributes: {
              component: 'neptune',
              'neptune.workspace.id': event.scope?.workspaceId,
              'neptune.request.id': event.requestId,
            },
          }),
        );
        return;
      }
      case 'request-end': {
        const open = event.requestId === undefined ? undefined : openRequests.get(event.requestId);
        if (open === undefined) {
          span(event, {
            name: 'neptune.request',
            op: 'neptune.request',
            attributes: { 'neptune.request.ok': event.ok },
          });
          return;
        }
        open.setAttribute('neptune.request.input_tokens', event.inputTokens);
        open.setAttribute('neptune.request.output_tokens', event.outputTokens);
        open.setAttribute('neptune.request.passages', event.passages);
        if (!event.ok) open.setStatus({ code: SPAN_STATUS_ERROR, message: 'internal_error' });
        open.end(seconds(event.timestamp));
        openRequests.delete(event.requestId!);
        return;
      }
      case 'model-call':
        span(event, {
          name: `chat ${event.model}`,
          op: 'gen_ai.chat',
          attributes: modelAttributes(event),
        });
        return;
      case 'embedding-call':
        span(event, {
          name: `embeddings ${event.model}`,
          op: 'gen_ai.embeddings',
          attributes: {
            'gen_ai.operation.name': 'embeddings',
            'gen_ai.provider.name': event.provider,
            'gen_ai.request.model': event.model,
            'gen_ai.usage.input_tokens': event.inputTokens,
          },
        });
        return;
      case 'cache-hit':
      case 'cache-miss':
      case 'cache-stale':
        span(event, {
          name: `neptune.cache ${event.kind}`,
          op: 'cache.get',
          attributes: {
            'cache.hit': event.type !== 'cache-miss',
            'cache.key': [`neptune:${event.kind}`],
            'neptune.cache.result': event.type.slice(6),
          },
        });
        return;
      case 'retrieval-end':
        span(event, {
          name: 'neptune.retrieval',
          op: 'neptune.retrieval',
          attributes: {
            'neptune.retrieval.results': event.results,
            'neptune.retrieval.cached': event.cached,
            'neptune.retrieval.legs': [...event.legs],
          },
        });
        return;
      case 'context-gather':
        span(event, {
          name: 'neptune.context.gather',
          op: 'neptune.context',
          attributes: { 'neptune.context.sources': event.sources },
        });
        return;
      case 'db-query':
        span(event, {
          name: event.name,
          op: 'db',
          attributes: { 'neptune.db.slow': event.slow, 'neptune.db.rows': event.rows },
        });
        return;
      case 'error':
        captureError(event);
        return;
      default:
        return;
    }
  };

  const captureError = (event: NeptuneEventOf<'error'>): void => {
    const message = options.includeErrorMessages
      ? event.message
      : `${event.source} failed with ${event.code}`;
    sentry.captureException(new NeptuneReportedError(event.code, message), {
      tags: { component: 'neptune', 'neptune.source': event.source, 'neptune.code': event.code },
      contexts: {
        neptune: {
          requestId: event.requestId,
          workspaceId: event.scope?.workspaceId,
          retryable: event.retryable,
        },
      },
      fingerprint: ['neptune', event.source, event.code],
      level: event.retryable ? 'warning' : 'error',
    });
    const open = event.requestId === undefined ? undefined : openRequests.get(event.requestId);
    open?.setStatus({ code: SPAN_STATUS_ERROR, message: event.code });
  };

  return {
    name: 'sentry',
    subscribe(telemetry: TelemetryChannel) {
      return telemetry.subscribe(record);
    },
    async flush() {
      const timeoutMs = options.flushTimeoutMs ?? 2_000;
      const delivered = await sentry.flush(timeoutMs);
      if (!delivered) throw new Error(`Sentry did not deliver its queue within ${timeoutMs} ms.`);
    },
  };
}

function modelAttributes(event: NeptuneEventOf<'model-call'>) {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': event.provider,
    'gen_ai.request.model': event.model,
    'gen_ai.usage.input_tokens': event.inputTokens,
    'gen_ai.usage.output_tokens': event.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': event.cachedInputTokens,
    'gen_ai.response.finish_reasons': event.finishReason === undefined ? undefined : [event.finishReason],
    'neptune.model.time_to_first_token_ms': event.timeToFirstTokenMs,
  };
}
