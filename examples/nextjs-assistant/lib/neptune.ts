import 'server-only';
import { type Assistant, createAssistant } from '@neptune/assistant';
import { type Cache, createCache, memoryKeyValueStore } from '@neptune/cache';
import type { RedisKeyValueStore } from '@neptune/cache/redis';
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
import { createKnowledgeBase, type KnowledgeBase } from '@neptune/rag';
import { subscriptionSource, ticketsSource } from './demo-context';
import { seedDemoHistory } from './demo-history';
import { ingestHelpArticles } from './help-articles';
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

/** Memory by default; Redis when REDIS_URL is set (ioredis is loaded only then). */
async function keyValueStore(): Promise<RedisKeyValueStore | undefined> {
  if (!process.env.REDIS_URL) return undefined;
  const { redisKeyValueStore } = await import('@neptune/cache/redis');
  const store = redisKeyValueStore({ url: process.env.REDIS_URL, prefix: 'neptune:nextjs-assistant:' });
  // Connect at start-up rather than inside the first request's store calls (the cache gives each 250 ms).
  // If Redis is down the app still answers (the cache serves without its store), so this only warns.
  await store.ping().catch((error: unknown) => console.warn('Redis is not answering at REDIS_URL', error));
  return store;
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
  const knowledge = createKnowledgeBase({ cache, keywordIndex: postgres?.keywordIndex });
  // The index is in this process's memory, so this process builds it (scripts/ingest.ts runs the same
  // function; with shared stores it is the place to ingest, and this line goes).
  await ingestHelpArticles(knowledge);

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
 * The app's Neptune setup, created (and the help articles ingested) on first use, once per server process:
 * route bundles and dev reloads share it, so the chat route's figures are the ones the admin routes read,
 * and `next build` creates nothing.
 */
export const neptune = lazySingleton('neptune.examples.nextjs-assistant', createNeptune);
