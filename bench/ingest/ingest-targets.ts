import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { memoryKeyValueStore } from '@neptune/cache';
import type { Embedder } from '@neptune/core';
import { createKnowledgeBase, type KnowledgeBase } from '@neptune/rag';
import { memoryVectorStore } from '@neptune/rag/memory';
import {
  type PgvectorStore,
  type PostgresDatabase,
  pgvectorStore,
  postgresKeywordIndex,
} from '@neptune/rag/pgvector';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { dropTables } from '../lib/postgres-tables';

export interface OpenTarget {
  readonly knowledgeBase: KnowledgeBase;
  close(): Promise<void>;
  /**
   * Runs the first load the way the target does a bulk load (pgvector: `bulkLoad`, the HNSW index built
   * after it); returns how long the index build took. Default: the load as it is.
   */
  firstLoad?(load: () => Promise<void>): Promise<{ indexBuildMs: number }>;
  /**
   * A new process over the same key-value store (manifest and embedding cache) and an empty vector store,
   * as after a restart of an app whose index lives in memory: everything is indexed again.
   */
  restart?(): KnowledgeBase;
}

export interface IngestTarget {
  readonly name: string;
  /** What the row includes, for the notes. */
  readonly note: string;
  open(embedder: Embedder): Promise<OpenTarget>;
}

/** maintenance_work_mem for PGlite's HNSW build: enough for 100k 384-dimension vectors' graph. */
const PGLITE_INDEX_MEMORY = '512MB';

/** Texts per embedding call, as in production (the knowledge base's default). */
export const EMBED_BATCH_SIZE = 256;

/** A pgvector target's first load: `bulkLoad`, the HNSW index built after it with this much memory. */
function bulkFirstLoad(vectorStore: PgvectorStore, maintenanceWorkMem: string): OpenTarget['firstLoad'] {
  return async (load) => {
    const { indexBuildMs } = await vectorStore.bulkLoad(load, { maintenanceWorkMem });
    return { indexBuildMs };
  };
}

export const memoryTarget: IngestTarget = {
  name: 'memory',
  note: 'memory: createKnowledgeBase defaults: in-memory vector store, in-memory BM25, manifest and embedding cache in the in-memory key-value store (kept for the restart re-run).',
  async open(embedder) {
    // The manifest and embedding cache as the default keeps them; named here so that a restart shares them.
    const store = memoryKeyValueStore({
      maxEntries: Number.MAX_SAFE_INTEGER,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    const open = () =>
      createKnowledgeBase({
        embedder,
        store,
        embedBatchSize: EMBED_BATCH_SIZE,
        vectorStore: memoryVectorStore({ dimensions: embedder.dimensions }),
      });
    return { knowledgeBase: open(), close: async () => undefined, restart: open };
  },
};

export const pgliteTarget: IngestTarget = {
  name: 'pgvector (PGlite)',
  note: 'pgvector (PGlite): pgvectorStore on in-process PGlite with pgvector (vectors, HNSW index and BM25 in one table family); the first run is a `bulkLoad` into the empty table (HNSW index built after the load, its time included); manifest and cache in memory.',
  async open(embedder) {
    const client = await PGlite.create({ extensions: { vector } });
    // The bench resolves its own drizzle-orm copy (its OpenTelemetry peer differs); the runtime check is by kind.
    const db = drizzlePglite(client) as unknown as PostgresDatabase;
    const vectorStore = pgvectorStore({ db, dimensions: embedder.dimensions });
    await vectorStore.ensureSchema();
    return {
      knowledgeBase: createKnowledgeBase({ embedder, vectorStore, embedBatchSize: EMBED_BATCH_SIZE }),
      close: () => client.close(),
      firstLoad: bulkFirstLoad(vectorStore, PGLITE_INDEX_MEMORY),
    };
  },
};

/**
 * A pool of 4 on the Postgres server and a fresh table name; `close` drops the table family and ends the
 * pool.
 */
function benchTable(databaseUrl: string, prefix: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const tableName = `${prefix}_${Date.now().toString(36)}`;
  return {
    db: drizzleNodePostgres(pool) as unknown as PostgresDatabase,
    tableName,
    async close() {
      await dropTables(pool, tableName);
      await pool.end();
    },
  };
}

/** Plain Postgres (no pgvector here): its keyword index over the network, vectors in memory. */
export function postgresKeywordTarget(databaseUrl: string): IngestTarget {
  return {
    name: 'Postgres keywords (PG)',
    note: 'Postgres keywords (PG): postgresKeywordIndex on the local Postgres over TCP (full text, no pgvector), vectors in the in-memory store.',
    async open(embedder) {
      const { db, tableName, close } = benchTable(databaseUrl, 'bench_ingest');
      const keywordIndex = postgresKeywordIndex({ db, tableName });
      await keywordIndex.ensureSchema();
      return {
        knowledgeBase: createKnowledgeBase({ embedder, keywordIndex, embedBatchSize: EMBED_BATCH_SIZE }),
        close,
      };
    },
  };
}

/** maintenance_work_mem for the HNSW build on the Postgres server: the graph of 1M 384-dimension vectors fits. */
const POSTGRES_INDEX_MEMORY = '2GB';

/**
 * pgvectorStore on a Postgres server with the pgvector extension (Neon, or a server with it installed),
 * over TCP through node-postgres: the production path. `undefined` when the server has no pgvector.
 */
export async function pgvectorPostgresTarget(databaseUrl: string): Promise<IngestTarget | undefined> {
  const probe = new pg.Client({ connectionString: databaseUrl });
  await probe.connect();
  try {
    const available = await probe.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (available.rowCount === 0) return undefined;
  } finally {
    await probe.end();
  }
  return {
    name: 'pgvector (PG)',
    note: 'pgvector (PG): pgvectorStore on the local Postgres server with pgvector over TCP (node-postgres, pool of 4): vectors, HNSW index and BM25 in one table family; the first run is a `bulkLoad` into the empty table (postings key and HNSW index built after the load, maintenance_work_mem 2GB, their time included); manifest and cache in memory.',
    async open(embedder) {
      const { db, tableName, close } = benchTable(databaseUrl, 'bench_ingest_pgvector');
      const vectorStore = pgvectorStore({ db, tableName, dimensions: embedder.dimensions });
      await vectorStore.ensureSchema();
      return {
        knowledgeBase: createKnowledgeBase({ embedder, vectorStore, embedBatchSize: EMBED_BATCH_SIZE }),
        firstLoad: bulkFirstLoad(vectorStore, POSTGRES_INDEX_MEMORY),
        close,
      };
    },
  };
}
