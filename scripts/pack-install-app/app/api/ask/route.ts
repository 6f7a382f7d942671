// Every Neptune package through its public entry points, as an app would wire them: module-level
// singletons on in-memory defaults, then per request ingest (idempotent), retrieve, cache, recall,
// assemble, remember and record metrics. Copied into a fresh Next.js app by scripts/pack-install.ts.
import { createCache } from '@neptune/cache';
import { memoryKeyValueStore } from '@neptune/cache/memory';
import { assembleContext } from '@neptune/context';
import { defaultTelemetry, validateScope } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import { memoryMigrations } from '@neptune/memory/drizzle';
import {
  memoryMetricsStore,
  metricsRecorder,
  OPENAI_PRICES,
  rangeWindow,
  startObservability,
  summarizeMetrics,
} from '@neptune/observability';
import { openTelemetrySink } from '@neptune/observability/opentelemetry';
import { createKnowledgeBase, type SourceDocument } from '@neptune/rag';
import { memoryKeywordIndex, memoryVectorStore } from '@neptune/rag/memory';
import { z } from 'zod';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const DOCUMENTS: SourceDocument[] = [
  {
    id: 'refunds',
    title: 'Refund policy',
    source: 'https://example.com/help/refunds',
    text: 'Refunds are issued within 14 days of purchase. To request a refund, open Billing and choose Request refund. The refund goes back to the original card within five business days.',
  },
  {
    id: 'passwords',
    title: 'Resetting your password',
    source: 'https://example.com/help/passwords',
    text: 'To reset your password, click Forgot password on the sign-in page and follow the link we email you. The reset link expires after one hour; ask for a new one if it has.',
  },
];

const telemetry = defaultTelemetry();
const metricsStore = memoryMetricsStore();
const observability = startObservability({
  telemetry,
  sinks: [metricsRecorder({ store: metricsStore }), openTelemetrySink()],
});
const embedder = offlineEmbedder();
const store = memoryKeyValueStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
const cache = createCache({ store, kinds: { answers: { ttlMs: 60_000 } } });
const knowledgeBase = createKnowledgeBase({
  embedder,
  vectorStore: memoryVectorStore({ dimensions: embedder.dimensions }),
  keywordIndex: memoryKeywordIndex(),
  store,
  cache,
});
const memory = createMemory({ consentDefaults: 'opt-in', keyValue: store });
const tokenizer = createTokenizer({ encoding: 'o200k_base' });

const querySchema = z.object({
  q: z.string().trim().min(1).max(500),
  conversation: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('conversation-1'),
});

export async function GET(request: Request): Promise<Response> {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: z.prettifyError(parsed.error) }, { status: 400 });
  const { q, conversation } = parsed.data;

  const scope = validateScope({ workspaceId: 'acme', userId: 'ana' });
  const requestId = crypto.randomUUID();
  const startedAt = Date.now();
  telemetry.emit({ type: 'request-start', timestamp: startedAt, scope, requestId, route: '/api/ask' });
  let ok = false;
  let passages = 0;
  let ended = false;
  const endRequest = () => {
    if (ended) return;
    ended = true;
    telemetry.emit({
      type: 'request-end',
      timestamp: Date.now(),
      scope,
      requestId,
      durationMs: Date.now() - startedAt,
      passages,
      ok,
    });
  };
  try {
    const ingestion = await knowledgeBase.ingest(scope, DOCUMENTS);
    const retrieval = await knowledgeBase.retrieve(scope, q);
    passages = retrieval.passages.length;
    const top = retrieval.passages[0];
    const answer = await cache.getOrSet(scope, { kind: 'answers', id: q.toLowerCase() }, async () =>
      top ? top.text : 'No answer found.',
    );
    const recalled = await memory.recall(scope, conversation, { maxTokens: 500 });
    const assembled = await assembleContext({
      query: q,
      passages: retrieval.passages,
      memory: recalled,
      budget: { maxTokens: 2_000 },
      tokenizer: await tokenizer,
      scope,
      requestId,
    });
    await memory.remember(scope, conversation, { user: q, assistant: answer });
    ok = true;
    endRequest();
    await observability.flush();
    const window = rangeWindow('hour', Date.now());
    const buckets = await metricsStore.read({
      view: { workspaceId: scope.workspaceId },
      resolution: window.resolution,
      fromMs: window.fromMs,
      toMs: window.toMs,
    });
    const metrics = summarizeMetrics(buckets, window, OPENAI_PRICES);

    return Response.json({
      ok,
      query: q,
      topDocumentId: top?.citation.documentId ?? null,
      citations: assembled.citations.map((citation) => citation.documentId ?? null),
      passages,
      retrievalCached: retrieval.cached,
      answer,
      answerTokens: (await tokenizer).count(answer),
      ingestion: { added: ingestion.added, unchanged: ingestion.unchanged, failed: ingestion.failed.length },
      context: {
        messages: assembled.messages.length,
        tokens: assembled.tokens.total,
        maxTokens: assembled.tokens.maxTokens,
      },
      memory: { recalledMessages: recalled.messages.length },
      cache: cache.stats().kinds.answers ?? null,
      metrics: { requests: metrics.requests.total, searches: metrics.retrieval.searches },
      migrations: memoryMigrations.length,
    });
  } finally {
    endRequest();
  }
}
