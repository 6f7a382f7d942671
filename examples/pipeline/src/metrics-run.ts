import { type Assistant, createAssistant } from '@neptune/assistant';
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

/** One model for every request, as an app holds it. */
const MODEL = extractiveChatModel();

/**
 * One request as an app's route handles it: the assistant emits `request-start` and `request-end` (with
 * the answer's tokens, passages and which of them it cited) and the model its `model-call`.
 */
async function handleRequest(assistant: Assistant, question: string, requestId: string) {
  const result = await assistant.respond({ scope: SCOPE, message: question, requestId });
  await result.text;
  await result.finished;
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
    const assistant = createAssistant({
      model: MODEL,
      knowledge: knowledgeBase,
      memory: false,
      route: '/ask',
    });
    for (const [index, question] of questions.entries())
      await handleRequest(assistant, question, `request-${index + 1}`);
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
