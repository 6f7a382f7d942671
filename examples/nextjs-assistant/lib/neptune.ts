import 'server-only';
import { type Assistant, createAssistant } from '@neptune/assistant';
import { type Cache, createCache, memoryKeyValueStore } from '@neptune/cache';
import { type ContextGatherer, createContextGatherer } from '@neptune/context';
import {
  type ChatModel,
  defaultTelemetry,
  type KeyValueStore,
  lazySingleton,
  type Tokenizer,
} from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory, type Memory } from '@neptune/memory';
import {
  type HealthCheck,
  type MetricsStore,
  memoryMetricsStore,
  metricsRecorder,
  modelProviderHealthCheck,
  type Observability,
  redisHealthCheck,
  startObservability,
  vectorStoreHealthCheck,
} from '@neptune/observability';
import type { KnowledgeBase } from '@neptune/rag';
import { subscriptionSource, ticketsSource } from './demo-context';
import { seedDemoHistory } from './demo-history';
import { keyValueStore } from './key-value-store';
import { helpKnowledge } from './knowledge';
import { postgresStores } from './postgres';

export { DEMO_WORKSPACE, KNOWLEDGE_SCOPE } from './help-articles';

export interface Neptune {
  /** The request flow the chat route serves: `assistant.handler(...)`. */
  readonly assistant: Assistant;
  readonly knowledge: KnowledgeBase;
  readonly gatherer: ContextGatherer;
  readonly memory: Memory;
  readonly cache: Cache;
  readonly observability: Observability;
  readonly metrics: MetricsStore;
  readonly healthChecks: readonly HealthCheck[];
  /** o200k_base (GPT-4o and later), which the prompt is counted in. */
  readonly tokenizer: Tokenizer;
  /** One model for the app; each call passes its scope and request id for attribution. */
  readonly chatModel: ChatModel;
  /** Where the alert history is kept: Redis with REDIS_URL, else this process's memory. */
  readonly keyValue: KeyValueStore;
}

async function createChatModel(): Promise<ChatModel> {
  if (process.env.OPENAI_API_KEY) {
    const { openaiChatModel } = await import('@neptune/core/openai');
    return openaiChatModel();
  }
  // Quotes the best sentences of the numbered passages, a few words at a time, so streaming shows.
  return extractiveChatModel({ deltaDelayMs: 15 });
}

async function createNeptune(): Promise<Neptune> {
  // Observability first, so that ingestion's events are counted too.
  const metrics = memoryMetricsStore();
  const observability = startObservability({
    telemetry: defaultTelemetry(),
    sinks: [metricsRecorder({ store: metrics })],
  });

  // Loaded now rather than by the first request, where parsing its tables (100 ms or more) would
  // hold up everything else on the event loop, Redis replies included.
  const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
  const store = await keyValueStore();
  const cache = createCache({ store });
  const postgres = await postgresStores();
  // Built and filled by `instrumentation.ts` when the server started, before any request (`pnpm ingest`
  // runs the same ingestion outside the server): no request ever ingests.
  const knowledge = await helpKnowledge();

  const gatherer = createContextGatherer({ sources: [subscriptionSource, ticketsSource], cache });
  // Conversations in PostgreSQL with DATABASE_URL (drizzleMemoryStores), else in process memory; session
  // memory and facts in the key-value store (Redis with REDIS_URL).
  // What applies before a user chooses (memory.setConsent): here session facts and learning are on until
  // the user objects; 'opt-in' keeps both off until they agree.
  const memory = createMemory({
    consentDefaults: 'opt-out',
    tokenizer,
    ...postgres?.memoryStores,
    ...(store ? { keyValue: store } : {}),
  });

  const healthChecks: HealthCheck[] = [vectorStoreHealthCheck(knowledge.vectorStore, { name: 'knowledge' })];
  if (store !== undefined) healthChecks.push(redisHealthCheck(store, { name: 'redis' }));
  if (process.env.OPENAI_API_KEY) {
    healthChecks.push(
      modelProviderHealthCheck({ name: 'openai', apiKey: process.env.OPENAI_API_KEY, critical: false }),
    );
  }

  const chatModel = await createChatModel();
  // An A/B test of the prompt budget: half the users get a 4,000-token prompt (the dashboard compares them).
  const experiment = {
    id: 'prompt-budget',
    variants: [
      { id: 'control', percent: 50 },
      { id: 'budget-4k', percent: 50, options: { budget: { maxTokens: 4_000 } } },
    ],
  };
  if (process.env.NEPTUNE_DEMO_HISTORY === '1') {
    seedDemoHistory(defaultTelemetry(), {
      experiment: experiment.id,
      variants: experiment.variants.map((variant) => variant.id),
      model: chatModel.model,
    });
  }
  const assistant = createAssistant({
    model: chatModel,
    knowledge,
    gatherer,
    memory,
    tokenizer,
    route: '/api/chat',
    // The requests it answered and their ratings (the feedback route), per workspace: in Redis with
    // REDIS_URL, so that any instance can take the rating of an answer another one gave.
    feedback: { store },
    experiment,
    // Deliver the request's figures once its turn is remembered (the handler runs this in `after`).
    flush: () => observability.flush(),
  });

  return {
    assistant,
    knowledge,
    gatherer,
    memory,
    cache,
    observability,
    metrics,
    healthChecks,
    tokenizer,
    chatModel,
    keyValue: store ?? memoryKeyValueStore(),
  };
}

/**
 * The app's Neptune setup, created on first use, once per server process:
 * route bundles and dev reloads share it, so the chat route's figures are the ones the admin routes read,
 * and `next build` creates nothing.
 */
export const neptune = lazySingleton('neptune.examples.nextjs-assistant', createNeptune);
