import { ConfigurationError, createTelemetryChannel } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { startObservability } from '../start-observability';
import { emitAll, requestEvents } from '../testing/simulated-traffic';
import type { SentryCaptureContext, SentryLike, SentrySpanLike, SentryStartSpanOptions } from './sentry-like';
import { sentrySink } from './sentry-sink';

interface RecordedSpan {
  readonly options: SentryStartSpanOptions;
  readonly attributes: Record<string, unknown>;
  status?: { code: number; message?: string };
  endedAt?: number | undefined;
}

/** A recording object of the Sentry SDK's shape: it keeps every call, as the real SDK would send them. */
function recordingSentry(options: { flushDelivers?: boolean } = {}) {
  const spans: RecordedSpan[] = [];
  const exceptions: Array<{ exception: unknown; hint?: SentryCaptureContext }> = [];
  const flushes: Array<number | undefined> = [];
  const sentry: SentryLike = {
    captureException(exception, hint) {
      exceptions.push({ exception, hint });
      return `event-${exceptions.length}`;
    },
    startInactiveSpan(startOptions) {
      const recorded: RecordedSpan = { options: startOptions, attributes: { ...startOptions.attributes } };
      spans.push(recorded);
      const span: SentrySpanLike = {
        setAttribute: (key, value) => {
          recorded.attributes[key] = value;
        },
        setStatus: (status) => {
          recorded.status = status;
        },
        end: (endTimestamp) => {
          recorded.endedAt = endTimestamp;
        },
      };
      (recorded as { handle?: SentrySpanLike }).handle = span;
      return span;
    },
    flush: async (timeout) => {
      flushes.push(timeout);
      return options.flushDelivers ?? true;
    },
  };
  return { sentry, spans, exceptions, flushes };
}

const END_MS = Date.UTC(2026, 10, 2, 10, 30, 0);
const events = () =>
  requestEvents({
    workspaceId: 'acme',
    requestId: 'r1',
    endMs: END_MS,
    durationMs: 1_000,
    cacheHits: [{ kind: 'crm' }],
    cacheMisses: ['rag'],
    passages: 3,
    model: 'gpt-4o',
    inputTokens: 2_000,
    cachedInputTokens: 512,
    outputTokens: 300,
  });

describe('sentrySink', () => {
  it('sends spans tagged component: neptune, with AI, cache and db ops, under the request span', () => {
    const { sentry, spans } = recordingSentry();
    const telemetry = createTelemetryChannel();
    sentrySink({ sentry }).subscribe(telemetry);
    emitAll(telemetry, events());
    const request = spans.find((span) => span.options.op === 'neptune.request')!;
    const model = spans.find((span) => span.options.op === 'gen_ai.chat')!;
    expect(spans.map((span) => span.options.op).sort()).toEqual([
      'cache.get',
      'cache.get',
      'db',
      'gen_ai.chat',
      'neptune.context',
      'neptune.request',
      'neptune.retrieval',
    ]);
    for (const span of spans) expect(span.attributes.component).toBe('neptune');
    expect(model.options.name).toBe('chat gpt-4o');
    expect(model.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 2_000,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 512,
    });
    const handle = (request as { handle?: SentrySpanLike }).handle;
    for (const span of spans.filter((span) => span !== request)) expect(span.options.parentSpan).toBe(handle);
    // The request span has no explicit parent: Sentry puts it under the app's active transaction.
    expect(request.options.parentSpan).toBeUndefined();
    expect(request.options.startTime).toBe((END_MS - 1_000) / 1000);
    expect(request.endedAt).toBe(END_MS / 1000);
    expect(model.options.startTime).toBe((END_MS - 5 - 750) / 1000);
    const cacheHits = spans
      .filter((span) => span.options.op === 'cache.get')
      .map((span) => span.attributes['cache.hit']);
    expect(cacheHits.sort()).toEqual([false, true]);
  });

  it('captures errors tagged component: neptune with context, and the message only when asked', () => {
    for (const includeErrorMessages of [false, true]) {
      const { sentry, exceptions, spans } = recordingSentry();
      const telemetry = createTelemetryChannel();
      sentrySink({ sentry, includeErrorMessages }).subscribe(telemetry);
      emitAll(telemetry, [
        { type: 'request-start', timestamp: END_MS - 10, requestId: 'r1', scope: { workspaceId: 'acme' } },
        {
          type: 'error',
          timestamp: END_MS,
          requestId: 'r1',
          scope: { workspaceId: 'acme' },
          source: 'rag',
          code: 'store-unavailable',
          message: 'pgvector refused "what is my salary"',
          retryable: true,
        },
      ]);
      const [captured] = exceptions;
      expect(captured!.hint).toEqual({
        tags: { component: 'neptune', 'neptune.source': 'rag', 'neptune.code': 'store-unavailable' },
        contexts: { neptune: { requestId: 'r1', workspaceId: 'acme', retryable: true } },
        fingerprint: ['neptune', 'rag', 'store-unavailable'],
        level: 'warning',
      });
      const error = captured!.exception as Error;
      expect(error.name).toBe('store-unavailable');
      expect(error.message.includes('salary')).toBe(includeErrorMessages);
      expect(spans[0]!.status).toEqual({ code: 2, message: 'store-unavailable' });
    }
  });

  it('flushes Sentry through startObservability and reports a flush that did not deliver', async () => {
    const delivering = recordingSentry();
    const telemetry = createTelemetryChannel();
    const ok = startObservability({
      telemetry,
      sinks: [sentrySink({ sentry: delivering.sentry, flushTimeoutMs: 500 })],
    });
    expect(await ok.flush()).toEqual({ ok: true, failed: [], timedOut: [] });
    expect(delivering.flushes).toEqual([500]);

    const stuck = recordingSentry({ flushDelivers: false });
    const failing = startObservability({ telemetry, sinks: [sentrySink({ sentry: stuck.sentry })] });
    const report = await failing.flush();
    expect(report.ok).toBe(false);
    expect(String(report.failed[0]?.error)).toMatch(/did not deliver/);
  });

  it('refuses something that is not the Sentry SDK, saying what to pass', () => {
    expect(() => sentrySink({ sentry: {} as never })).toThrow(ConfigurationError);
    expect(() => sentrySink({ sentry: {} as never })).toThrow(/import \* as Sentry/);
  });
});
