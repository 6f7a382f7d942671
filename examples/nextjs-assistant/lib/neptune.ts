import 'server-only';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Assistant, createAssistant } from '@neptune/assistant';
import { type Cache, createCache } from '@neptune/cache';
import type { RedisKeyValueStore } from '@neptune/cache/redis';
import { type ContextGatherer, createContextGatherer } from '@neptune/context';
import { type ChatModel, defaultTelemetry, lazySingleton, type Scope, type Tokenizer } from '@neptune/core';
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

/** The demo's one tenant; the user comes from the session (see `app/api/chat/route.ts`). */
export const DEMO_WORKSPACE = 'demo';
export const KNOWLEDGE_SCOPE: Scope = { workspaceId: DEMO_WORKSPACE };

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
}

interface HelpArticle {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/**
 * The help-centre articles shipped with the example (`data/knowledge-base.jsonl`). Read from the project
 * folder, where `next dev` and `next start` run; `outputFileTracingIncludes` in next.config.ts ships the
 * file with the chat route for deployments.
 */
async function loadHelpArticles(): Promise<HelpArticle[]> {
  const text = await readFile(join(process.cwd(), 'data', 'knowledge-base.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HelpArticle);
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
  const knowledge = createKnowledgeBase({ cache });
  const report = await knowledge.ingest(KNOWLEDGE_SCOPE, await loadHelpArticles());
  if (report.failed.length > 0) {
    throw new Error(
      `Ingesting the help articles failed for ${report.failed.map((failure) => failure.documentId).join(', ')}.`,
    );
  }

  const gatherer = createContextGatherer({ sources: [subscriptionSource, ticketsSource], cache });
  // Conversations, session memory and facts in process memory; in production pass
  // drizzleMemoryStores({ db }) from @neptune/memory/drizzle and a Redis key-value store.
  const memory = createMemory({ tokenizer });

  const healthChecks: HealthCheck[] = [vectorStoreHealthCheck(knowledge.vectorStore, { name: 'knowledge' })];
  if (store !== undefined) healthChecks.push(redisHealthCheck(store, { name: 'redis' }));
  if (process.env.OPENAI_API_KEY) {
    healthChecks.push(
      modelProviderHealthCheck({ name: 'openai', apiKey: process.env.OPENAI_API_KEY, critical: false }),
    );
  }

  const chatModel = await createChatModel();
  const assistant = createAssistant({
    model: chatModel,
    knowledge,
    gatherer,
    memory,
    tokenizer,
    route: '/api/chat',
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
  };
}

/**
 * The app's Neptune setup, created (and the help articles ingested) on first use, once per server process:
 * route bundles and dev reloads share it, so the chat route's figures are the ones the admin routes read,
 * and `next build` creates nothing.
 */
export const neptune = lazySingleton('neptune.examples.nextjs-assistant', createNeptune);
