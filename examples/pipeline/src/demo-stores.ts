import { memoryKeyValueStore } from '@neptune/cache';
import type { ChatModel, Embedder, KeyValueStore, KeywordIndex, VectorStore } from '@neptune/core';
import { extractiveChatModel, offlineEmbedder } from '@neptune/core/offline';
import type { CreateMemoryOptions } from '@neptune/memory';

/** The environment variables that switch the demo from embedded defaults to real services. */
export interface DemoEnvironment {
  readonly OPENAI_API_KEY?: string | undefined;
  /** An OpenAI-compatible endpoint instead of api.openai.com (Azure, a proxy, a local server). */
  readonly OPENAI_BASE_URL?: string | undefined;
  readonly REDIS_URL?: string | undefined;
  readonly UPSTASH_REDIS_REST_URL?: string | undefined;
  readonly UPSTASH_REDIS_REST_TOKEN?: string | undefined;
  readonly UPSTASH_VECTOR_REST_URL?: string | undefined;
  readonly UPSTASH_VECTOR_REST_TOKEN?: string | undefined;
  readonly DATABASE_URL?: string | undefined;
}

export interface DemoStores {
  /** One line per part: what it runs on. */
  readonly description: readonly string[];
  readonly keyValue: KeyValueStore;
  readonly embedder: Embedder;
  readonly chatModel: ChatModel;
  readonly vectorStore?: VectorStore | undefined;
  readonly keywordIndex?: KeywordIndex | undefined;
  readonly conversations?: Pick<CreateMemoryOptions, 'conversations' | 'actions' | 'consent'> | undefined;
  close(): Promise<void>;
}

const both = (url: string | undefined, token: string | undefined) => Boolean(url) && Boolean(token);

/**
 * Picks each store from the environment: embedded defaults when nothing is set, the real service when
 * its variable is. Service clients are imported only when used, so the offline demo loads none of them.
 */
export async function demoStores(env: DemoEnvironment): Promise<DemoStores> {
  const description: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];

  let embedder: Embedder = offlineEmbedder();
  let chatModel: ChatModel = extractiveChatModel();
  if (env.OPENAI_API_KEY) {
    const { openaiChatModel, openaiEmbedder } = await import('@neptune/core/openai');
    const connection = { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL || undefined };
    embedder = openaiEmbedder(connection);
    chatModel = openaiChatModel(connection);
    description.push(`model       OpenAI ${chatModel.model}, embeddings ${embedder.model} (OPENAI_API_KEY)`);
  } else {
    description.push(
      'model       offline: extractive answers quoted from the sources, hashed embeddings (set OPENAI_API_KEY for OpenAI)',
    );
  }

  let keyValue: KeyValueStore;
  if (env.REDIS_URL) {
    const { redisKeyValueStore } = await import('@neptune/cache/redis');
    keyValue = redisKeyValueStore({ url: env.REDIS_URL });
    description.push('cache       Redis (REDIS_URL)');
  } else if (both(env.UPSTASH_REDIS_REST_URL, env.UPSTASH_REDIS_REST_TOKEN)) {
    const { upstashKeyValueStore } = await import('@neptune/cache/upstash');
    keyValue = upstashKeyValueStore({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN });
    description.push('cache       Upstash Redis over REST (UPSTASH_REDIS_REST_URL)');
  } else {
    keyValue = memoryKeyValueStore();
    description.push('cache       in process memory (set REDIS_URL or UPSTASH_REDIS_REST_URL/_TOKEN)');
  }
  closers.push(() => keyValue.close());

  let vectorStore: VectorStore | undefined;
  let keywordIndex: KeywordIndex | undefined;
  let conversations: DemoStores['conversations'];
  if (both(env.UPSTASH_VECTOR_REST_URL, env.UPSTASH_VECTOR_REST_TOKEN)) {
    const { upstashVectorStore } = await import('@neptune/rag/upstash-vector');
    vectorStore = upstashVectorStore({
      index: { url: env.UPSTASH_VECTOR_REST_URL, token: env.UPSTASH_VECTOR_REST_TOKEN },
      dimensions: embedder.dimensions,
    });
    description.push(
      `vectors     Upstash Vector, ${embedder.dimensions} dimensions (UPSTASH_VECTOR_REST_URL)`,
    );
  }
  if (env.DATABASE_URL) {
    const [{ Pool }, { drizzle }, { pgvectorStore, postgresKeywordIndex }, memoryDrizzle] = await Promise.all(
      [
        import('pg'),
        import('drizzle-orm/node-postgres'),
        import('@neptune/rag/pgvector'),
        import('@neptune/memory/drizzle'),
      ],
    );
    const pool = new Pool({ connectionString: env.DATABASE_URL, max: 4 });
    closers.push(() => pool.end());
    const db = drizzle(pool);
    await memoryDrizzle.migrate(db);
    conversations = memoryDrizzle.drizzleMemoryStores({ db });
    description.push('memory      PostgreSQL through drizzle (DATABASE_URL)');
    // Only when no vector store was chosen yet (Upstash Vector takes precedence).
    const usePgvector =
      vectorStore === undefined &&
      (await pool
        .query('CREATE EXTENSION IF NOT EXISTS vector')
        .then(() => true)
        .catch(() => false));
    if (usePgvector) {
      const store = pgvectorStore({ db, dimensions: embedder.dimensions, tableName: 'neptune_demo_chunks' });
      await store.ensureSchema();
      vectorStore = store;
      description.push('vectors     pgvector, HNSW (DATABASE_URL)');
    } else if (vectorStore === undefined) {
      description.push('vectors     in process memory: this PostgreSQL has no pgvector extension');
    }
    if (vectorStore?.name !== 'pgvector') {
      const index = postgresKeywordIndex({ db, tableName: 'neptune_demo_keywords' });
      await index.ensureSchema();
      keywordIndex = index;
      description.push('keywords    PostgreSQL full text (DATABASE_URL)');
    } else {
      description.push('keywords    PostgreSQL full text, in the pgvector table');
    }
  } else {
    description.push('memory      in process memory (set DATABASE_URL for PostgreSQL)');
  }
  if (vectorStore === undefined && !env.DATABASE_URL)
    description.push('vectors     in process memory (set UPSTASH_VECTOR_REST_URL/_TOKEN or DATABASE_URL)');
  if (keywordIndex === undefined && !env.DATABASE_URL) description.push('keywords    BM25 in process memory');

  return {
    description,
    keyValue,
    embedder,
    chatModel,
    vectorStore,
    keywordIndex,
    conversations,
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}
