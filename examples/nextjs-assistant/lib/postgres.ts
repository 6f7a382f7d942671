import 'server-only';
import type { KeywordIndex } from '@neptune/core';
import type { DrizzleMemoryStoresOptions } from '@neptune/memory/drizzle';

export interface PostgresStores {
  /** Conversations, action history and consent, for `createMemory`. */
  readonly memoryStores: ReturnType<typeof import('@neptune/memory/drizzle').drizzleMemoryStores>;
  /** The knowledge base's keyword leg: BM25 inside Postgres. */
  readonly keywordIndex: KeywordIndex;
}

/**
 * PostgreSQL when DATABASE_URL is set (pg and drizzle are loaded only then): conversations and consent
 * through drizzle, and the help articles' keyword index as BM25 in Postgres. The demo migrates at
 * start-up; a real app runs `migrate` and `ensureSchema` in its deploy step (docs/deployment.md).
 */
export async function postgresStores(): Promise<PostgresStores | undefined> {
  if (!process.env.DATABASE_URL) return undefined;
  const [{ drizzle }, pg, memoryDrizzle, { postgresKeywordIndex }] = await Promise.all([
    import('drizzle-orm/node-postgres'),
    import('pg'),
    import('@neptune/memory/drizzle'),
    import('@neptune/rag/pgvector'),
  ]);
  // A connection that stops answering gives up after 5 s rather than holding a request.
  const pool = new pg.default.Pool({
    connectionString: process.env.DATABASE_URL,
    max: 10,
    query_timeout: 5_000,
    connectionTimeoutMillis: 2_000,
  });
  pool.on('error', (error) => console.warn('PostgreSQL connection error', error.message));
  const db = drizzle(pool) as DrizzleMemoryStoresOptions['db'];
  await memoryDrizzle.migrate(db);
  const keywordIndex = postgresKeywordIndex({ db, tableName: 'neptune_example_chunks' });
  await keywordIndex.ensureSchema();
  return { memoryStores: memoryDrizzle.drizzleMemoryStores({ db }), keywordIndex };
}
