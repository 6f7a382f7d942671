import {
  defineKeywordIndex,
  defineVectorStore,
  type KeywordDriver,
  type KeywordIndex,
  parseOptions,
  type TelemetryChannel,
  type VectorDriver,
  type VectorRecord,
  type VectorStore,
} from '@neptune/core';
import { exactScopeCondition, type PostgresDatabase, type QueryRunner } from '@neptune/core/postgres/drizzle';
import { and, count, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { KeywordPruning } from './bm25-search';
import { type Bm25TableNames, bm25TableNames } from './bm25-tables';
import { chunkRowUpdates, chunkRowValues, deleteIndexed, writeIndexed } from './bm25-writes';
import { type VectorChunkTable, vectorChunkTable } from './chunk-table';
import { chunkTableMigrationSql, chunkTableStatements, qualifiedTableName } from './chunk-table-sql';
import { ensureChunkTable } from './ensure-chunk-table';
import { type BulkLoadOptions, type BulkLoadReport, loadThenIndex } from './load-then-index';
import { metadataFilterSql } from './metadata-filter-sql';
import { nearestRows } from './nearest-rows';
import { type PgvectorFeatures, pgvectorReadiness } from './pgvector-readiness';
import { chunkKeywordMethods, deleteChunks } from './postgres-keyword-index';
import { inBatches } from './record-batches';
import { chunkStoreRunners, pgvectorStoreOptionsSchema } from './store-options';

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

/** What a `DimensionMismatchError` advises: the table's `embedding` column holds one length. */
function dimensionAdvice(received: number): string {
  return `Embed with the model the store was created for, or use a store (and table) created with { dimensions: ${received} }.`;
}

/** Cosine similarity from pgvector's cosine distance; a zero vector has no direction and scores 0. */
function similarity(distance: number): number {
  const score = 1 - Number(distance);
  return Number.isNaN(score) ? 0 : Math.max(-1, Math.min(1, score));
}

/** What the driver of `pgvectorStore` works on, from its options. */
interface PgvectorDriverSettings {
  readonly runner: QueryRunner;
  readonly table: VectorChunkTable;
  /** The BM25 tables: a record's text is indexed for keyword search as it is upserted. */
  readonly names: Bm25TableNames;
  readonly dimensions: number;
  readonly exactSearchThreshold: number;
  readonly efSearch: number;
  readonly keywordPruning: KeywordPruning;
  /** Resolves once the table is known to have `embedding vector(dimensions)`, with pgvector's features. */
  readonly ready: () => Promise<PgvectorFeatures>;
}

/**
 * The driver of `pgvectorStore`, one for both contracts: the vector methods over the `embedding` column,
 * the keyword methods (and `clear`, which empties both sides of a row) of the chunk table. Input arrives
 * checked by `defineVectorStore` and `defineKeywordIndex`; what is left here is Postgres: one row per
 * record in the scope's `workspace_id` / `user_id` (ids arrive distinct, so an upsert never touches a row
 * twice), and the readiness check before the first write or query.
 */
function pgvectorDriver(settings: PgvectorDriverSettings): VectorDriver & KeywordDriver {
  const { runner, table, names, ready } = settings;
  const { db } = runner;
  return {
    name: 'pgvector',
    label: 'pgvectorStore',
    dimensions: settings.dimensions,
    // HNSW is approximate (small scopes are searched exactly); BM25 is indexed beside the vectors.
    capabilities: { exact: false, keyword: true },
    dimensionAdvice,
    ...chunkKeywordMethods(runner, table, names, settings.keywordPruning),

    async upsert(keys, records) {
      await ready();
      await writeIndexed({
        runner,
        names,
        operation: 'upsert',
        keys,
        documents: records,
        textOf: (record) => record.keywordText ?? record.text,
        writeRows: (transaction, batch) =>
          transaction
            .insert(table)
            .values(
              batch.map(({ document: record, analysed }) => ({
                ...chunkRowValues(
                  keys,
                  { id: record.id, text: record.text ?? null, metadata: record.metadata ?? {} },
                  analysed,
                ),
                embedding: Array.from(record.vector),
              })),
            )
            .onConflictDoUpdate({
              target: [table.workspaceId, table.userScope, table.id],
              set: { ...chunkRowUpdates(), embedding: sql`excluded.embedding` },
            })
            .getSQL(),
      });
    },

    delete: (keys, ids) => deleteChunks(runner, table, names, 'delete', keys, ids),

    async deleteWhere(keys, filter) {
      const where = and(exactScopeCondition(table, keys), metadataFilterSql(table.metadata, filter)) as SQL;
      return deleteIndexed(runner, names, 'deleteWhere', keys, where);
    },

    async query(keys, query) {
      const features = await ready();
      const rows = await nearestRows(runner, table, keys, query, {
        exactSearchThreshold: settings.exactSearchThreshold,
        efSearch: settings.efSearch,
        iterativeScan: features.iterativeScan,
      });
      const matches = rows.map((row) => ({
        id: row.id,
        score: similarity(row.distance),
        text: row.text ?? undefined,
        metadata: row.metadata,
      }));
      const { minScore } = query;
      return minScore === undefined ? matches : matches.filter((match) => match.score >= minScore);
    },

    async get(keys, ids) {
      const found = new Map<string, VectorRecord>();
      for (const batch of inBatches([...new Set(ids)])) {
        const rows = await runner.run(
          'get',
          keys,
          () =>
            db
              .select({
                id: table.id,
                embedding: table.embedding,
                text: table.text,
                metadata: table.metadata,
              })
              .from(table)
              .where(
                and(exactScopeCondition(table, keys), inArray(table.id, batch), isNotNull(table.embedding)),
              ),
          (result) => result.length,
        );
        for (const row of rows) {
          found.set(row.id, {
            id: row.id,
            vector: Float32Array.from(row.embedding ?? []),
            text: row.text ?? undefined,
            metadata: row.metadata,
          });
        }
      }
      return ids.flatMap((id) => found.get(id) ?? []);
    },

    async count(keys) {
      const [row] = await runner.run('count', keys, () =>
        db
          .select({ records: count() })
          .from(table)
          .where(and(exactScopeCondition(table, keys), isNotNull(table.embedding))),
      );
      return Number(row?.records ?? 0);
    },
  };
}

/**
 * Postgres with pgvector, through drizzle: `VectorStore` (cosine, HNSW index, exact search for small
 * scopes) and `KeywordIndex` (BM25 with the memory index's analysis and scores, over per-scope statistics
 * tables beside the chunk table) over one table family, so one upsert with text serves both legs of
 * hybrid retrieval. Built on `defineVectorStore` and `defineKeywordIndex` over one driver.
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
  const { runner, buildRunner } = chunkStoreRunners(settings, 'pgvectorStore', layout);
  const readiness = pgvectorReadiness(runner, {
    name: qualifiedTableName(layout),
    dimensions: settings.dimensions,
  });
  const driver = pgvectorDriver({
    runner,
    table,
    names,
    dimensions: settings.dimensions,
    exactSearchThreshold: settings.exactSearchThreshold,
    efSearch: settings.hnsw.efSearch,
    keywordPruning: settings.keywordPruning,
    ready: readiness.check,
  });

  return {
    ...defineVectorStore(driver),
    ...defineKeywordIndex(driver),
    name: 'pgvector',
    db: settings.db,
    table,
    migrationSql: chunkTableMigrationSql(layout),
    async ensureSchema() {
      await ensureChunkTable(runner, chunkTableStatements(layout), names);
      readiness.reset();
    },
    bulkLoad: (load, bulkOptions) => loadThenIndex(runner, buildRunner, layout, load, bulkOptions),
  };
}
