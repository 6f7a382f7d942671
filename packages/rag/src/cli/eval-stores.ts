import {
  ConfigurationError,
  type Embedder,
  type KeywordIndex,
  type Scope,
  type VectorStore,
} from '@neptune/core';

/** Where `neptune-eval` indexes the corpus. */
export type EvalStoreKind = 'memory' | 'postgres' | 'pglite' | 'upstash';

export const EVAL_STORE_KINDS: readonly EvalStoreKind[] = ['memory', 'postgres', 'pglite', 'upstash'];

/** The stores one configuration's knowledge base uses; empty for the in-memory defaults. */
export interface ConfigurationStores {
  readonly vectorStore?: VectorStore | undefined;
  readonly keywordIndex?: KeywordIndex | undefined;
}

export interface EvalStores {
  /** What the report says the corpus was indexed in. */
  readonly description: string;
  /**
   * Empty stores for one configuration, the evaluation scope cleared. Keyword-only configurations
   * (`usesEmbedder: false`) get the store's keyword index beside in-memory vectors, so they run on a
   * Postgres without pgvector; the others get one store for both legs.
   */
  prepare(usesEmbedder: boolean, embedder: Embedder, scope: Scope): Promise<ConfigurationStores>;
  /**
   * Runs once the corpus is indexed, before the queries: Postgres vacuums and analyses the tables, as
   * autovacuum would soon do to a table in production (fresh rows are not yet visible to index-only scans,
   * and the planner has no statistics on them).
   */
  settle(): Promise<void>;
  /** Clears what the run wrote and closes connections. */
  close(): Promise<void>;
}

export interface EvalStoreOptions {
  readonly kind: EvalStoreKind;
  readonly databaseUrl?: string | undefined;
  readonly table: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

async function load<Module>(specifier: string, what: string, install: string): Promise<Module> {
  try {
    return (await import(specifier)) as Module;
  } catch (error) {
    throw new ConfigurationError({
      message: `--store ${what} needs the ${install} package: npm install ${install}.`,
      cause: error,
    });
  }
}

/** A URL without its password, for the report. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the given database';
  }
}

type Cleanup = () => Promise<unknown>;

async function postgresStores(options: EvalStoreOptions): Promise<EvalStores> {
  const drizzleOrm = await load<typeof import('drizzle-orm/node-postgres')>(
    'drizzle-orm/node-postgres',
    options.kind,
    'drizzle-orm',
  );
  const { sql } = await import('drizzle-orm');
  const pgvector = await import('../pgvector/index');
  let db: import('@neptune/core/postgres/drizzle').PostgresDatabase;
  let closeDatabase: Cleanup;
  let description: string;
  if (options.kind === 'postgres') {
    const url = options.databaseUrl ?? options.env.DATABASE_URL;
    if (!url) {
      throw new ConfigurationError({
        message: '--store postgres needs a database: pass --database-url postgres://… or set DATABASE_URL.',
      });
    }
    const pg = await load<typeof import('pg')>('pg', 'postgres', 'pg');
    const pool = new (pg.default ?? pg).Pool({ connectionString: url, max: 4 });
    db = drizzleOrm.drizzle(pool);
    closeDatabase = () => pool.end();
    description = `postgres (${describeUrl(url)}, table ${options.table})`;
  } else {
    const { PGlite } = await load<typeof import('@electric-sql/pglite')>(
      '@electric-sql/pglite',
      'pglite',
      '@electric-sql/pglite',
    );
    const { vector } = await import('@electric-sql/pglite/vector');
    const { drizzle } = await import('drizzle-orm/pglite');
    const client = await PGlite.create({ extensions: { vector } });
    db = drizzle(client);
    closeDatabase = () => client.close();
    description = `pglite (in-process Postgres with pgvector, table ${options.table})`;
  }
  const cleanups: Cleanup[] = [];
  const tables: string[] = [];
  return {
    description,
    async settle() {
      for (const table of tables) await db.execute(sql.raw(`VACUUM (ANALYZE) ${table}`));
    },
    async prepare(usesEmbedder, embedder, scope) {
      const tableName = usesEmbedder ? `${options.table}_${embedder.dimensions}d` : options.table;
      tables.length = 0;
      for (const suffix of ['', '_postings', '_df', '_scopes']) tables.push(`"${tableName}${suffix}"`);
      const store = usesEmbedder
        ? pgvector.pgvectorStore({
            db,
            dimensions: embedder.dimensions,
            tableName,
          })
        : pgvector.postgresKeywordIndex({ db, tableName });
      await store.ensureSchema();
      await store.clear(scope);
      cleanups.push(() => store.clear(scope));
      return usesEmbedder ? { vectorStore: store as VectorStore } : { keywordIndex: store };
    },
    async close() {
      for (const cleanup of cleanups) await cleanup();
      await closeDatabase();
    },
  };
}

async function upstashStores(options: EvalStoreOptions): Promise<EvalStores> {
  const url = options.env.UPSTASH_VECTOR_REST_URL;
  const token = options.env.UPSTASH_VECTOR_REST_TOKEN;
  if (!url || !token) {
    throw new ConfigurationError({
      message:
        '--store upstash needs UPSTASH_VECTOR_REST_URL and UPSTASH_VECTOR_REST_TOKEN (a hybrid index with sparse vectors for the keyword leg).',
    });
  }
  await load('@upstash/vector', 'upstash', '@upstash/vector');
  const { upstashVectorStore } = await import('../upstash-vector/index');
  const cleanups: Cleanup[] = [];
  return {
    description: `upstash (${describeUrl(url)})`,
    settle: async () => undefined,
    async prepare(_usesEmbedder, embedder, scope) {
      const store = upstashVectorStore({
        index: { url, token },
        dimensions: embedder.dimensions,
        hybrid: true,
      });
      await store.clear(scope);
      cleanups.push(() => store.clear(scope));
      return { vectorStore: store };
    },
    async close() {
      for (const cleanup of cleanups) await cleanup();
    },
  };
}

/** The stores `--store` names; `memory` leaves the knowledge base's in-memory defaults. */
export async function openEvalStores(options: EvalStoreOptions): Promise<EvalStores> {
  if (options.kind === 'postgres' || options.kind === 'pglite') return postgresStores(options);
  if (options.kind === 'upstash') return upstashStores(options);
  return {
    description: 'memory (in-process BM25 and exact vector search)',
    prepare: async () => ({}),
    settle: async () => undefined,
    close: async () => undefined,
  };
}
