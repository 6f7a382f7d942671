import { createTelemetryChannel, type NeptuneEvent } from '@neptune/core';
import type { Context, ContextManager } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { emitAll, requestEvents } from '../testing/simulated-traffic';
import { GEN_AI_DURATION_BUCKETS_SECONDS, GEN_AI_TOKEN_BUCKETS } from './gen-ai-conventions';

/**
 * Loaded here rather than imported, to fail with the fix instead of a bare "Cannot find module": vitest
 * hands Node its `resolve.conditions` as `--conditions`, and with `module` among them Node picks
 * @opentelemetry/api's bundler-only ESM build (extensionless imports), which it cannot load.
 */
async function loadOpenTelemetry() {
  try {
    const [api, metricsSdk, traceSdk, sink] = await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/sdk-trace-base'),
      import('./open-telemetry-sink'),
    ]);
    return { ...api, ...metricsSdk, ...traceSdk, ...sink };
  } catch (error) {
    throw new Error(
      "@opentelemetry/api cannot be loaded under this vitest config. Remove 'module' from the resolve conditions in vitest.config.ts (Node is given them as --conditions, and @opentelemetry/api's `module` export is an ESM build only bundlers can load).",
      { cause: error },
    );
  }
}

const {
  AggregationTemporality,
  BasicTracerProvider,
  BatchSpanProcessor,
  context,
  InMemorySpanExporter,
  MeterProvider,
  MetricReader,
  openTelemetrySink,
  ROOT_CONTEXT,
  SimpleSpanProcessor,
  SpanKind,
  SpanStatusCode,
  trace,
} = await loadOpenTelemetry();

const END_MS = Date.UTC(2026, 10, 2, 10, 30, 0);
const events = () =>
  requestEvents({
    workspaceId: 'acme',
    requestId: 'r1',
    endMs: END_MS,
    durationMs: 1_200,
    cacheHits: [{ kind: 'crm', tokensSaved: 40 }],
    cacheMisses: ['rag'],
    passages: 5,
    model: 'gpt-4o-mini',
    inputTokens: 3_000,
    cachedInputTokens: 1_024,
    outputTokens: 250,
  });

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider };
}

const byName = (spans: readonly ReadableSpan[], name: string) => spans.find((span) => span.name === name)!;
const epochMs = (time: readonly [number, number]) => time[0] * 1000 + time[1] / 1e6;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The app's context manager, reduced to a synchronous stack: enough to make a span "active". */
class StackContextManager implements ContextManager {
  #stack: Context[] = [];
  active(): Context {
    return this.#stack.at(-1) ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ) {
    this.#stack.push(active);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#stack = [];
    return this;
  }
}

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

afterEach(() => {
  trace.disable();
  context.disable();
});

describe('openTelemetrySink spans', () => {
  it('names model spans by the GenAI conventions and nests a request under its request span', () => {
    const { exporter, provider } = tracing();
    const telemetry = createTelemetryChannel();
    openTelemetrySink({ tracerProvider: provider }).subscribe(telemetry);
    emitAll(telemetry, events());
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual([
      'chat gpt-4o-mini',
      'neptune.cache crm',
      'neptune.cache rag',
      'neptune.context.gather',
      'neptune.db crm.leads',
      'neptune.request',
      'neptune.retrieval',
    ]);
    const request = byName(spans, 'neptune.request');
    const model = byName(spans, 'chat gpt-4o-mini');
    expect(model.kind).toBe(SpanKind.CLIENT);
    expect(model.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 3_000,
      'gen_ai.usage.output_tokens': 250,
      'gen_ai.usage.cache_read.input_tokens': 1_024,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    // The model event carries no scope: it is placed under its request by request id.
    expect(parentOf(model)).toBe(request.spanContext().spanId);
    expect(model.spanContext().traceId).toBe(request.spanContext().traceId);
    for (const span of spans.filter((span) => span !== request))
      expect(parentOf(span)).toBe(request.spanContext().spanId);
    expect(parentOf(request)).toBeUndefined();
    // Spans are placed in time from the event: ended at its timestamp, started durationMs earlier.
    expect(epochMs(model.endTime)).toBe(END_MS - 5);
    expect(epochMs(model.endTime) - epochMs(model.startTime)).toBe(950);
    expect(epochMs(request.endTime) - epochMs(request.startTime)).toBe(1_200);
    expect(request.attributes).toMatchObject({
      'neptune.workspace.id': 'acme',
      'neptune.route': '/api/assistant/chat',
      'neptune.context.tokens_before': 6_000,
      'neptune.context.tokens_after': 3_600,
      'neptune.request.passages': 5,
    });
    expect(byName(spans, 'neptune.cache crm').attributes).toMatchObject({
      'neptune.cache.result': 'hit',
      'neptune.cache.tokens_saved': 40,
    });
  });

  it("joins the app's global provider and its active span instead of replacing them", () => {
    const { exporter, provider } = tracing();
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new StackContextManager());
    const telemetry = createTelemetryChannel();
    openTelemetrySink().subscribe(telemetry);
    const appSpan = trace.getTracer('app').startSpan('POST /api/assistant/chat');
    context.with(trace.setSpan(context.active(), appSpan), () => emitAll(telemetry, events()));
    appSpan.end();
    const spans = exporter.getFinishedSpans();
    const request = byName(spans, 'neptune.request');
    expect(parentOf(request)).toBe(appSpan.spanContext().spanId);
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(
      new Set([appSpan.spanContext().traceId]),
    );
    expect((trace.getTracerProvider() as unknown as { getDelegate(): unknown }).getDelegate()).toBe(provider);
  });

  it('marks a failed request and its error, without the message unless asked', () => {
    for (const includeErrorMessages of [false, true]) {
      const { exporter, provider } = tracing();
      const telemetry = createTelemetryChannel();
      openTelemetrySink({ tracerProvider: provider, includeErrorMessages }).subscribe(telemetry);
      const [start, ...rest] = events();
      const end = rest.at(-1) as NeptuneEvent & { type: 'request-end' };
      emitAll(telemetry, [
        start!,
        {
          type: 'error',
          timestamp: END_MS - 1,
          requestId: 'r1',
          source: 'openai',
          code: 'timeout',
          message: 'user said: hello',
          retryable: true,
        },
        { ...end, ok: false },
      ]);
      const request = byName(exporter.getFinishedSpans(), 'neptune.request');
      expect(request.status.code).toBe(SpanStatusCode.ERROR);
      expect(request.events[0]).toMatchObject({
        name: 'exception',
        attributes: { 'exception.type': 'timeout' },
      });
      expect(request.events[0]!.attributes?.['exception.message']).toBe(
        includeErrorMessages ? 'user said: hello' : undefined,
      );
    }
  });

  it('holds spans in a batch processor until flush(), which a serverless handler awaits', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new BatchSpanProcessor(exporter, { scheduledDelayMillis: 3_600_000, maxExportBatchSize: 512 }),
      ],
    });
    const telemetry = createTelemetryChannel();
    const sink = openTelemetrySink({ tracerProvider: provider });
    sink.subscribe(telemetry);
    emitAll(telemetry, events());
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await sink.flush();
    expect(exporter.getFinishedSpans()).toHaveLength(7);
  });
});

describe('openTelemetrySink metrics', () => {
  it("records gen_ai.client.operation.duration and gen_ai.client.token.usage with the spec's buckets", async () => {
    const reader = new CollectingReader();
    const telemetry = createTelemetryChannel();
    openTelemetrySink({
      tracerProvider: tracing().provider,
      meterProvider: new MeterProvider({ readers: [reader] }),
    }).subscribe(telemetry);
    emitAll(telemetry, events());
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const metric = (name: string) => all.find((candidate) => candidate.descriptor.name === name)!;

    const duration = metric('gen_ai.client.operation.duration');
    expect(duration.descriptor.unit).toBe('s');
    const [durationPoint] = duration.dataPoints as Array<{
      value: { buckets: { boundaries: number[] }; sum: number };
      attributes: object;
    }>;
    expect(durationPoint!.value.buckets.boundaries).toEqual(GEN_AI_DURATION_BUCKETS_SECONDS);
    expect(durationPoint!.value.sum).toBeCloseTo(0.95, 9);
    expect(durationPoint!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
    });

    const tokens = metric('gen_ai.client.token.usage');
    expect(tokens.descriptor.unit).toBe('{token}');
    const points = tokens.dataPoints as Array<{
      value: { buckets: { boundaries: number[] }; sum: number };
      attributes: Record<string, unknown>;
    }>;
    expect(points.map((point) => [point.attributes['gen_ai.token.type'], point.value.sum]).sort()).toEqual([
      ['input', 3_000],
      ['output', 250],
    ]);
    expect(points[0]!.value.buckets.boundaries).toEqual(GEN_AI_TOKEN_BUCKETS);

    const lookups = metric('neptune.cache.lookups').dataPoints.map((point) => [
      point.attributes['neptune.cache.result'],
      point.value,
    ]);
    expect(lookups.sort()).toEqual([
      ['hit', 1],
      ['miss', 1],
    ]);
  });
});
