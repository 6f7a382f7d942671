import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createTelemetryChannel, type NeptuneEvent, type TelemetryChannel } from '@neptune/core';
import {
  memoryMetricsStore,
  metricsRecorder,
  OPENAI_PRICES,
  rangeWindow,
  summarizeMetrics,
} from '@neptune/observability';
import { type OpenTelemetrySinkOptions, openTelemetrySink } from '@neptune/observability/opentelemetry';
import { type Cell, defineBenchmark } from '../lib/benchmark';
import { type Measurement, measure } from '../lib/measure';

interface OpenTelemetryApi {
  readonly trace: { getTracerProvider(): TracerProvider };
  readonly metrics: { getMeterProvider(): MeterProvider };
}

type TracerProvider = NonNullable<OpenTelemetrySinkOptions['tracerProvider']>;
type MeterProvider = NonNullable<OpenTelemetrySinkOptions['meterProvider']>;

interface OpenTelemetrySdk {
  readonly BasicTracerProvider: new (config: { spanProcessors: unknown[] }) => TracerProvider;
  readonly BatchSpanProcessor: new (exporter: unknown) => unknown;
  readonly MeterProvider: new (config: { readers: unknown[] }) => MeterProvider;
  readonly MetricReader: abstract new () => object;
}

function loadOpenTelemetry(rootDirectory: string): OpenTelemetrySdk & OpenTelemetryApi {
  // Loaded lazily so that the other benchmarks never pay for the OpenTelemetry SDK's start-up.
  const require = createRequire(join(rootDirectory, 'bench/package.json'));
  return {
    ...require('@opentelemetry/api'),
    ...require('@opentelemetry/sdk-trace-base'),
    ...require('@opentelemetry/sdk-metrics'),
  };
}

/** An exporter that drops spans: the processor and span work are measured, network I/O is not. */
const droppingExporter = {
  export: (_spans: unknown, done: (result: { code: number }) => void) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

const REQUESTS_PER_SAMPLE = 1_000;
const SAMPLES = 40;
const GOAL_US = 50;

/** The ten events of one assistant request, as the packages emit them. */
function requestEvents(requestId: string, nowMs: number): NeptuneEvent[] {
  const scope = { workspaceId: 'acme' };
  const base = { scope, requestId, timestamp: nowMs };
  return [
    { type: 'request-start', ...base, route: '/api/assistant/chat' },
    { type: 'cache-hit', ...base, kind: 'context', durationMs: 0.4, tier: 'memory' },
    { type: 'cache-hit', ...base, kind: 'user_prefs', durationMs: 0.3, tier: 'memory' },
    { type: 'cache-miss', ...base, kind: 'rag', durationMs: 0.6 },
    { type: 'db-query', ...base, name: 'crm.leads', durationMs: 18, rows: 20, slow: false },
    { type: 'context-gather', ...base, durationMs: 140, sources: 3, failed: [], cacheHits: 2 },
    {
      type: 'retrieval-end',
      ...base,
      durationMs: 95,
      results: 6,
      legs: ['vector', 'keyword'],
      cached: false,
    },
    { type: 'context-assemble', ...base, tokensBefore: 5_800, tokensAfter: 3_400, items: 14, dropped: 5 },
    {
      type: 'model-call',
      timestamp: nowMs,
      requestId,
      provider: 'openai',
      model: 'gpt-4o-mini',
      operation: 'stream',
      inputTokens: 3_400,
      cachedInputTokens: 1_024,
      outputTokens: 380,
      durationMs: 900,
      timeToFirstTokenMs: 300,
      finishReason: 'stop',
    },
    {
      type: 'request-end',
      ...base,
      durationMs: 1_150,
      timeToFirstTokenMs: 420,
      inputTokens: 3_400,
      outputTokens: 380,
      passages: 6,
      ok: true,
    },
  ];
}

function emitAll(channel: TelemetryChannel, events: readonly NeptuneEvent[]): void {
  for (const event of events) channel.emit(event);
}

function row(setup: string, result: Measurement, eventsPerRequest: number): Record<string, Cell> {
  return {
    setup,
    'median (µs/request)': result.medianNs / 1e3,
    'p95 (µs/request)': result.p95Ns / 1e3,
    'per event (ns)': result.medianNs / eventsPerRequest,
    [`median under ${GOAL_US} µs`]: result.medianNs / 1e3 < GOAL_US,
  };
}

export default defineBenchmark({
  name: 'observability',
  description:
    'Overhead per assistant request (10 telemetry events) with no subscriber, the in-memory metrics store, and OpenTelemetry',
  async run(context) {
    const sdk = loadOpenTelemetry(context.rootDirectory);
    const events = requestEvents('bench-request', Date.now());
    const options = { batchSize: REQUESTS_PER_SAMPLE, iterations: SAMPLES, warmupIterations: 10 };
    const openTelemetry = () => {
      // A reader that is never collected: instruments still aggregate on every record, as in an app.
      class IdleReader extends (sdk.MetricReader as new () => object) {
        protected onForceFlush() {
          return Promise.resolve();
        }
        protected onShutdown() {
          return Promise.resolve();
        }
      }
      return openTelemetrySink({
        // The batch processor, as production setups use: spans are queued and exported off the request path.
        tracerProvider: new sdk.BasicTracerProvider({
          spanProcessors: [new sdk.BatchSpanProcessor(droppingExporter)],
        }),
        meterProvider: new sdk.MeterProvider({ readers: [new IdleReader()] }),
      });
    };
    // The API with no SDK registered: what Neptune's own event-to-span code costs, apart from the SDK's.
    const withApiOnly = createTelemetryChannel();
    openTelemetrySink({
      tracerProvider: sdk.trace.getTracerProvider(),
      meterProvider: sdk.metrics.getMeterProvider(),
    }).subscribe(withApiOnly);

    const idle = createTelemetryChannel();
    const memoryStore = memoryMetricsStore();
    const withMetrics = createTelemetryChannel();
    metricsRecorder({ store: memoryStore }).subscribe(withMetrics);
    const withOpenTelemetry = createTelemetryChannel();
    openTelemetry().subscribe(withOpenTelemetry);
    const withBoth = createTelemetryChannel();
    metricsRecorder({ store: memoryMetricsStore() }).subscribe(withBoth);
    openTelemetry().subscribe(withBoth);

    const cases: Array<[string, TelemetryChannel]> = [
      ['no subscriber', idle],
      ['metrics recorder, in-memory store', withMetrics],
      ['OpenTelemetry API only (no SDK registered)', withApiOnly],
      ['OpenTelemetry SDK (batch span processor + MeterProvider, no exporter I/O)', withOpenTelemetry],
      ['metrics recorder + OpenTelemetry', withBoth],
    ];
    const rows: Record<string, Cell>[] = [];
    const measurements: Record<string, Measurement> = {};
    for (const [label, channel] of cases) {
      context.log(label);
      const result = await measure(() => emitAll(channel, events), options);
      measurements[label] = result;
      rows.push(row(label, result, events.length));
    }

    const failures: string[] = [];
    const window = rangeWindow('hour', Date.now());
    const recorded = summarizeMetrics(
      await memoryStore.read({
        view: { workspaceId: 'acme' },
        resolution: window.resolution,
        fromMs: window.fromMs,
        toMs: window.toMs,
      }),
      window,
      OPENAI_PRICES,
    ).requests.total;
    if (recorded < SAMPLES * REQUESTS_PER_SAMPLE)
      failures.push(
        `the in-memory store recorded ${recorded} requests: the metrics row measured less than it says`,
      );
    for (const [label, result] of Object.entries(measurements))
      if (result.medianNs / 1e3 >= GOAL_US)
        failures.push(
          `${label}: median ${(result.medianNs / 1e3).toFixed(1)} µs/request, over the ${GOAL_US} µs goal`,
        );

    return {
      tables: [
        {
          title: `Observability overhead per request (${SAMPLES} samples of ${REQUESTS_PER_SAMPLE.toLocaleString('en-US')} requests, ${events.length} events each)`,
          rows,
          notes: [
            'A request is the ten events one assistant turn emits: start, three cache lookups, a query, context gather, retrieval, assembly, the model call, end.',
            'Synchronous cost on the request path only: the in-memory store has nothing to flush; OpenTelemetry spans (8 per request) go through a BatchSpanProcessor to an exporter that drops them, and 9 metric recordings per request are aggregated by a MeterProvider that is never collected.',
            'The "API only" row is Neptune\'s own cost of turning events into spans and metrics; the rest of the SDK rows is the OpenTelemetry SDK\'s.',
            `Goal: under ${GOAL_US} µs per request at the median; the p95 column shows the tail.`,
          ],
        },
      ],
      figures: { measurements, recordedRequests: recorded },
      failures,
    };
  },
});
