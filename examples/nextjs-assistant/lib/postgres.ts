import 'server-only';
import type { KeywordIndex } from '@neptune/core';
import type { DrizzleMemoryStoresOptions } from '@neptune/memory/drizzle';

export interface PostgresStores {
  /** Conversations, action history and consent, for `createMemory`. */
  readonly memoryStores: ReturnType<typeof import('@neptune/memory/drizzle').drizzleMemoryStores>;
}

/** A drizzle database over a pool on DATABASE_URL (pg and drizzle are loaded only when it is set). */
async function connect(max: number): Promise<DrizzleMemoryStoresOptions['db']> {
  const [{ drizzle }, pg] = await Promise.all([import('drizzle-orm/node-postgres'), import('pg')]);
  // A connection that stops answering gives up after 5 s rather than holding a request.
  const pool = new pg.default.Pool({
    connectionString: process.env.DATABASE_URL,
    max,
    query_timeout: 5_000,
    connectionTimeoutMillis: 2_000,
  });
  pool.on('error', (error) => console.warn('PostgreSQL connection error', error.message));
  return drizzle(pool) as DrizzleMemoryStoresOptions['db'];
}

/**
 * PostgreSQL when DATABASE_URL is set: conversations and consent through drizzle. The demo migrates at
 * start-up; a real app runs `migrate` and `ensureSchema` in its deploy step (docs/deployment.md).
 */
export async function postgresStores(): Promise<PostgresStores | undefined> {
  if (!process.env.DATABASE_URL) return undefined;
  const [db, memoryDrizzle] = await Promise.all([connect(10), import('@neptune/memory/drizzle')]);
  await memoryDrizzle.migrate(db);
  return { memoryStores: memoryDrizzle.drizzleMemoryStores({ db }) };
}

/**
 * The knowledge base's keyword leg as BM25 inside Postgres when DATABASE_URL is set. Its own small pool:
 * the knowledge base is built at start-up by `instrumentation.ts`, apart from the routes' setup.
 */
export async function postgresKeywordIndex(): Promise<KeywordIndex | undefined> {
  if (!process.env.DATABASE_URL) return undefined;
  const [db, { postgresKeywordIndex: keywordIndex }] = await Promise.all([
    connect(4),
    import('@neptune/rag/pgvector'),
  ]);
  const index = keywordIndex({ db, tableName: 'neptune_example_chunks' });
  await index.ensureSchema();
  return index;
}
