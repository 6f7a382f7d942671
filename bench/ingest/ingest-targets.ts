import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import type { Embedder } from '@neptune/core';
import { createKnowledgeBase, type KnowledgeBase } from '@neptune/rag';
import { type PostgresDatabase, pgvectorStore, postgresKeywordIndex } from '@neptune/rag/pgvector';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';

export interface IngestTarget {
  readonly name: string;
  /** What the row includes, for the notes. */
  readonly note: string;
  open(embedder: Embedder): Promise<{ knowledgeBase: KnowledgeBase; close(): Promise<void> }>;
}

/** Texts per embedding call, as in production (the knowledge base's default). */
export const EMBED_BATCH_SIZE = 256;

export const memoryTarget: IngestTarget = {
  name: 'memory',
  note: 'memory: createKnowledgeBase defaults: in-memory vector store, in-memory BM25, manifest and embedding cache in the in-memory key-value store.',
  async open(embedder) {
    return {
      knowledgeBase: createKnowledgeBase({ embedder, embedBatchSize: EMBED_BATCH_SIZE }),
      close: async () => undefined,
    };
  },
};

export const pgliteTarget: IngestTarget = {
  name: 'pgvector (PGlite)',
  note: 'pgvector (PGlite): pgvectorStore on in-process PGlite with pgvector (vectors, HNSW index and full text in one table, schema created before the load); manifest and cache in memory.',
  async open(embedder) {
    const client = await PGlite.create({ extensions: { vector } });
    // The bench resolves its own drizzle-orm copy (its OpenTelemetry peer differs); the runtime check is by kind.
    const db = drizzlePglite(client) as unknown as PostgresDatabase;
    const vectorStore = pgvectorStore({ db, dimensions: embedder.dimensions });
    await vectorStore.ensureSchema();
    return {
      knowledgeBase: createKnowledgeBase({ embedder, vectorStore, embedBatchSize: EMBED_BATCH_SIZE }),
      close: () => client.close(),
    };
  },
};

/** Plain Postgres (no pgvector here): its keyword index over the network, vectors in memory. */
export function postgresKeywordTarget(databaseUrl: string): IngestTarget {
  return {
    name: 'Postgres keywords (PG)',
    note: 'Postgres keywords (PG): postgresKeywordIndex on the local Postgres over TCP (full text, no pgvector), vectors in the in-memory store.',
    async open(embedder) {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
      const tableName = `bench_ingest_${Date.now().toString(36)}`;
      const db = drizzleNodePostgres(pool) as unknown as PostgresDatabase;
      const keywordIndex = postgresKeywordIndex({ db, tableName });
      await keywordIndex.ensureSchema();
      return {
        knowledgeBase: createKnowledgeBase({ embedder, keywordIndex, embedBatchSize: EMBED_BATCH_SIZE }),
        async close() {
          await pool.query(`DROP TABLE IF EXISTS "${tableName}"`);
          await pool.end();
        },
      };
    },
  };
}
