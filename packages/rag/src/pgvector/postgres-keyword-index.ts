import {
  defineKeywordIndex,
  type KeywordDriver,
  type KeywordIndex,
  parseOptions,
  type ScopeKeys,
  type TelemetryChannel,
} from '@neptune/core';
import {
  coveredScopeCondition,
  exactScopeCondition,
  type PostgresDatabase,
  type QueryRunner,
} from '@neptune/core/postgres/drizzle';
import { and, inArray, type SQL } from 'drizzle-orm';
import { type KeywordPruning, searchBm25 } from './bm25-search';
import { type Bm25TableNames, bm25TableNames } from './bm25-tables';
import { chunkRowUpdates, chunkRowValues, clearIndexed, deleteIndexed, writeIndexed } from './bm25-writes';
import { type KeywordChunkTable, keywordChunkTable } from './chunk-table';
import { chunkTableMigrationSql, chunkTableStatements } from './chunk-table-sql';
import { ensureChunkTable } from './ensure-chunk-table';
import { type KeywordBulkLoadReport, loadThenKeyPostings } from './load-then-index';
import { inBatches } from './record-batches';
import { chunkStoreOptionsSchema, chunkStoreRunners } from './store-options';

/** Options of `postgresKeywordIndex`. */
export interface PostgresKeywordIndexOptions {
  /** A drizzle Postgres database (node-postgres, Neon or PGlite). pgvector is not needed. */
  readonly db: PostgresDatabase;
  /** Default `neptune_chunks`. */
  readonly tableName?: string | undefined;
  readonly schema?: string | undefined;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Queries slower than this are reported with `slow: true`. Default 500 ms. */
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
  /**
   * Dynamic pruning (MaxScore) of searches without a metadata filter: 'auto' (default) once the query's
   * terms hold over 20,000 postings, 'always' or 'never'. The results are the same.
   */
  readonly keywordPruning?: 'auto' | 'always' | 'never' | undefined;
}

/** A `KeywordIndex` over one Postgres table family, exposing the database and the drizzle table. */
export interface PostgresKeywordIndex extends KeywordIndex {
  readonly name: 'postgres-bm25';
  readonly db: PostgresDatabase;
  readonly table: KeywordChunkTable;
  readonly migrationSql: string;
  ensureSchema(): Promise<void>;
  /**
   * Runs a large first load (`load`, through `add()`) into an empty table without the postings' primary
   * key, then builds it once: several times faster than keeping it up to date posting by posting. A table
   * that already holds rows is loaded as it is. Searches during the load are slow (they scan the postings).
   */
  bulkLoad<T>(load: () => Promise<T>): Promise<KeywordBulkLoadReport<T>>;
}

/** The methods of a chunk table's `KeywordDriver`, shared by `postgresKeywordIndex` and `pgvectorStore`. */
export type ChunkKeywordMethods = Pick<KeywordDriver, 'add' | 'remove' | 'search' | 'clear'>;

/**
 * Deletes a scope's rows by id (distinct, as the define functions pass them), a batch per statement,
 * taking them out of the BM25 statistics in the same statement; returns how many were there, counted in
 * the database.
 */
export async function deleteChunks(
  runner: QueryRunner,
  table: KeywordChunkTable,
  names: Bm25TableNames,
  operation: string,
  keys: ScopeKeys,
  ids: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const batch of inBatches(ids)) {
    const where = and(exactScopeCondition(table, keys), inArray(table.id, batch)) as SQL;
    removed += await deleteIndexed(runner, names, operation, keys, where);
  }
  return removed;
}

/**
 * The keyword driver of a chunk table: BM25 (k1 0.9, b 0.4, Lucene's English analysis and length norm)
 * over per-scope statistics tables kept in the same transaction as the rows, scoring as the memory index
 * does (`searchBm25`). Input arrives checked by `defineKeywordIndex`.
 */
export function chunkKeywordMethods(
  runner: QueryRunner,
  table: KeywordChunkTable,
  names: Bm25TableNames,
  pruning: KeywordPruning,
): ChunkKeywordMethods {
  return {
    async add(keys, documents) {
      await writeIndexed({
        runner,
        names,
        operation: 'add',
        keys,
        documents,
        textOf: (document) => document.text,
        // Replaces the text and metadata only: a record's vector, if it has one, stays.
        writeRows: (db, batch) =>
          db
            .insert(table)
            .values(
              batch.map(({ document, analysed }) =>
                chunkRowValues(
                  keys,
                  { id: document.id, text: document.text, metadata: document.metadata ?? {} },
                  analysed,
                ),
              ),
            )
            .onConflictDoUpdate({
              target: [table.workspaceId, table.userScope, table.id],
              set: chunkRowUpdates(),
            })
            .getSQL(),
      });
    },

    remove: (keys, ids) => deleteChunks(runner, table, names, 'remove', keys, ids),

    search: (keys, { query, topK, filter }) =>
      searchBm25({ runner, names, table, keys, query, topK, filter, pruning }),

    // One row per record, so on pgvectorStore this clears the vector side too.
    clear: (keys) => clearIndexed(runner, names, keys, coveredScopeCondition(table, keys)),
  };
}

/**
 * The keyword half of `pgvectorStore` on its own: BM25 in Postgres (no extension) over the same table
 * layout without the `embedding` column, for a Postgres that has no pgvector (vectors elsewhere, or
 * keywords only). The SQL is `pgvectorStore`'s, shared code, so testing one on plain Postgres tests the
 * other's keyword side. Built on `defineKeywordIndex`, which checks scopes and input.
 */
export function postgresKeywordIndex(options: PostgresKeywordIndexOptions): PostgresKeywordIndex {
  const settings = parseOptions(chunkStoreOptionsSchema, options, 'postgresKeywordIndex options');
  const layout = { tableName: settings.tableName, schema: settings.schema };
  const table = keywordChunkTable(layout);
  const names = bm25TableNames(layout);
  const { runner, buildRunner } = chunkStoreRunners(settings, 'postgresKeywordIndex', layout);
  return {
    ...defineKeywordIndex({
      name: 'postgres-bm25',
      label: 'postgresKeywordIndex',
      ...chunkKeywordMethods(runner, table, names, settings.keywordPruning),
    }),
    name: 'postgres-bm25',
    db: settings.db,
    table,
    migrationSql: chunkTableMigrationSql(layout),
    ensureSchema: () => ensureChunkTable(runner, chunkTableStatements(layout), names),
    bulkLoad: (load) => loadThenKeyPostings(runner, buildRunner, layout, load),
  };
}
