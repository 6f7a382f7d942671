import { assembleContext } from '@neptune/context';
import { defaultTelemetry } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import {
  HISTOGRAM,
  type LatencyFigures,
  latencyFigures,
  MetricsAggregate,
  type MetricsStore,
  type MetricsSummary,
  memoryMetricsStore,
  metricsRecorder,
  OPENAI_PRICES,
  rangeWindow,
  startObservability,
  summarizeMetrics,
} from '@neptune/observability';
import type { KnowledgeBase } from '@neptune/rag';
import { SCOPE, shippedKnowledgeBase } from './shipped-knowledge-base';

/** Three questions, asked again: the repeats are answered from the knowledge base's result cache. */
export const METRICS_QUESTIONS = [
  'Can I get a refund on an annual plan?',
  'How do I set up single sign-on with Okta?',
  'What happens when we send too many API requests?',
  'Can I get a refund on an annual plan?',
  'How do I set up single sign-on with Okta?',
  'Can I get a refund on an annual plan?',
];

export interface MetricsRun {
  /** The last hour's figures, as the admin endpoints and the dashboard show them. */
  readonly summary: MetricsSummary;
  /** Model latency: recorded by the metrics recorder, read from the store (the summary does not show it). */
  readonly modelLatency: LatencyFigures;
  /** Where the figures are: give it to `createAdminHandlers` to serve them. */
  readonly store: MetricsStore;
}

/** One request as an app's route handles it: mark its start and end, retrieve, assemble, call the model. */
/** One model for every request, as an app holds it. */
const MODEL = extractiveChatModel();

async function handleRequest(question: string, requestId: string, knowledgeBase: KnowledgeBase) {
  const telemetry = defaultTelemetry();
  const startedAt = performance.now();
  telemetry.emit({ type: 'request-start', timestamp: Date.now(), scope: SCOPE, requestId, route: '/ask' });
  let outcome: { inputTokens?: number; outputTokens?: number; passages?: number } = {};
  let ok = false;
  try {
    const { passages } = await knowledgeBase.retrieve(SCOPE, question, { topK: 4, requestId });
    const { messages } = await assembleContext({ query: question, passages, scope: SCOPE, requestId });
    // Scope and request id on the call put its `model-call` event on this workspace and request.
    const { usage } = await MODEL.generate({ messages, scope: SCOPE, requestId });
    outcome = { ...usage, passages: passages.length };
    ok = true;
  } finally {
    const durationMs = performance.now() - startedAt;
    telemetry.emit({
      type: 'request-end',
      timestamp: Date.now(),
      scope: SCOPE,
      requestId,
      durationMs,
      ok,
      ...outcome,
    });
  }
}

/**
 * Answers a few questions with @neptune/observability recording Neptune's telemetry, then summarises the
 * figures the way its admin handlers and dashboard do.
 */
export async function runMetrics(questions: readonly string[] = METRICS_QUESTIONS): Promise<MetricsRun> {
  const knowledgeBase = await shippedKnowledgeBase();

  // Metrics in this process's memory; redisMetricsStore (@neptune/observability/redis) adds up several instances.
  const store = memoryMetricsStore();
  const observability = startObservability({ sinks: [metricsRecorder({ store })] }); // on defaultTelemetry()
  try {
    for (const [index, question] of questions.entries())
      await handleRequest(question, `request-${index + 1}`, knowledgeBase);
    await observability.flush();
  } finally {
    observability.stop();
  }

  const window = rangeWindow('hour', Date.now());
  const { resolution, fromMs, toMs } = window;
  const buckets = await store.read({ view: { allWorkspaces: true }, resolution, fromMs, toMs });
  const summary = summarizeMetrics(buckets, window, OPENAI_PRICES);
  const aggregate = MetricsAggregate.combine(buckets.map((bucket) => bucket.aggregate));
  const modelLatency = latencyFigures(aggregate.histograms.get(HISTOGRAM.modelDurationMs));
  return { summary, modelLatency, store };
}
