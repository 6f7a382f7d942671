import type { KeywordIndex, TelemetryChannel, VectorStore } from '@neptune/core';
import { parseOptions } from '@neptune/core';
import { createQueryRunner, type PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { bm25TableNames } from './bm25-tables';
import { type VectorChunkTable, vectorChunkTable } from './chunk-table';
import { chunkTableMigrationSql, chunkTableStatements, qualifiedTableName } from './chunk-table-sql';
import { ensureChunkTable } from './ensure-chunk-table';
import { keywordMethods } from './keyword-methods';
import { type BulkLoadOptions, type BulkLoadReport, loadThenIndex } from './load-then-index';
import { pgvectorReadiness } from './pgvector-readiness';
import { CHUNK_STORE_ERROR_HINTS, pgvectorStoreOptionsSchema } from './store-options';
import { vectorMethods } from './vector-methods';

/** The longest an index build after a bulk load may take: 6 hours. */
const INDEX_BUILD_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/** Options of `pgvectorStore`. */
export interface PgvectorStoreOptions {
  /**
   * A drizzle Postgres database: `drizzle(pool)` from `drizzle-orm/node-postgres`, `drizzle-orm/neon-http`,
   * `drizzle-orm/neon-serverless` or `drizzle-orm/pglite`. The SQL is the same on all of them.
   */
  readonly db: PostgresDatabase;
  /** Length of every vector: your embedding model's output size (at most 2,000 for an HNSW index). */
  readonly dimensions: number;
  /** Default `neptune_chunks`. Use one table per embedding model. */
  readonly tableName?: string | undefined;
  /** Postgres schema of the table; default: the search path's (usually `public`). */
  readonly schema?: string | undefined;
  /**
   * HNSW parameters. `m` and `efConstruction` shape the index (`ensureSchema()`, `migrationSql`; pgvector's
   * defaults 16 and 64). `efSearch` is how many candidates a search keeps (`hnsw.ef_search`, set per
   * query, raised to 2 × topK when larger); default 100, where pgvector's own default of 40 trades recall.
   */
  readonly hnsw?:
    | {
        readonly m?: number | undefined;
        readonly efConstruction?: number | undefined;
        readonly efSearch?: number | undefined;
      }
    | undefined;
  /**
   * Scopes (a workspace, or a user in it) holding at most this many rows are searched exactly, without
   * the HNSW index, which cannot find a small scope's rows in a large table. Default 10,000.
   */
  readonly exactSearchThreshold?: number | undefined;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Queries slower than this are reported with `slow: true` on their `db-query` event. Default 500 ms. */
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
  /**
   * Dynamic pruning (MaxScore) of keyword searches without a metadata filter: 'auto' (default) once the
   * query's terms hold over 20,000 postings, 'always' or 'never'. The results are the same.
   */
  readonly keywordPruning?: 'auto' | 'always' | 'never' | undefined;
}

/** A `VectorStore` and `KeywordIndex` over one Postgres table, exposing the database and the drizzle table. */
export interface PgvectorStore extends VectorStore, KeywordIndex {
  readonly name: 'pgvector';
  readonly db: PostgresDatabase;
  /** The drizzle table, to join chunks with your own tables or add it to your drizzle-kit schema. */
  readonly table: VectorChunkTable;
  /**
   * `CREATE EXTENSION`, `CREATE TABLE` and `CREATE INDEX` statements and the BM25 tables (idempotent,
   * migrating an earlier release's table in place) for a migration file. Call `ensureSchema()` once after
   * applying it to an existing table: it analyses the rows written before BM25.
   */
  readonly migrationSql: string;
  /** Runs `migrationSql`: creates the extension, the table and its indexes when missing. */
  ensureSchema(): Promise<void>;
  /**
   * Runs `load` (say, `knowledgeBase.ingest` over a whole corpus) and, when the table is empty at the
   * start, builds the HNSW index once after it instead of growing it row by row. Writes go through the
   * ordinary multi-row upserts, BM25 statistics included. See `BulkLoadOptions`.
   */
  bulkLoad<T>(load: () => Promise<T>, options?: BulkLoadOptions): Promise<BulkLoadReport<T>>;
}

/**
 * Postgres with pgvector, through drizzle: `VectorStore` (cosine, HNSW index, exact search for small
 * scopes) and `KeywordIndex` (BM25 with the memory index's analysis and scores, over per-scope statistics
 * tables beside the chunk table) over one table family, so one upsert with text serves both legs of
 * hybrid retrieval.
 *
 * Every record belongs to a scope: `workspace_id` and `user_id` columns filled from `scopeKeys()`, part
 * of the primary key and of every WHERE clause.
 */
export function pgvectorStore(options: PgvectorStoreOptions): PgvectorStore {
  const settings = parseOptions(pgvectorStoreOptionsSchema, options, 'pgvectorStore options');
  const layout = {
    tableName: settings.tableName,
    schema: settings.schema,
    dimensions: settings.dimensions,
    hnsw: settings.hnsw,
  };
  const table = vectorChunkTable(layout);
  const names = bm25TableNames(layout);
  const tableLabel = qualifiedTableName(layout);
  const runner = createQueryRunner({
    db: settings.db,
    source: 'rag',
    hints: CHUNK_STORE_ERROR_HINTS,
    storeName: 'pgvectorStore',
    tableLabel,
    telemetry: settings.telemetry,
    slowQueryMs: settings.slowQueryMs,
    queryTimeoutMs: settings.queryTimeoutMs,
  });
  // Building an HNSW index over a large table takes minutes, far past one query's timeout.
  const buildRunner = createQueryRunner({
    db: settings.db,
    source: 'rag',
    hints: CHUNK_STORE_ERROR_HINTS,
    storeName: 'pgvectorStore',
    tableLabel,
    telemetry: settings.telemetry,
    slowQueryMs: settings.slowQueryMs,
    queryTimeoutMs: INDEX_BUILD_TIMEOUT_MS,
  });
  const readiness = pgvectorReadiness(runner, { name: tableLabel, dimensions: settings.dimensions });

  return {
    name: 'pgvector',
    dimensions: settings.dimensions,
    capabilities: { exact: false, keyword: true },
    db: settings.db,
    table,
    migrationSql: chunkTableMigrationSql(layout),
    async ensureSchema() {
      await ensureChunkTable(runner, chunkTableStatements(layout), names);
      readiness.reset();
    },
    bulkLoad: (load, bulkOptions) => loadThenIndex(runner, buildRunner, layout, load, bulkOptions),
    ...vectorMethods(runner, table, {
      dimensions: settings.dimensions,
      exactSearchThreshold: settings.exactSearchThreshold,
      efSearch: settings.hnsw.efSearch,
      ready: readiness.check,
      names,
    }),
    // One row per record, so clearing a scope clears both the vector and the keyword side.
    ...keywordMethods(runner, table, names, 'pgvectorStore', settings.keywordPruning),
  };
}
