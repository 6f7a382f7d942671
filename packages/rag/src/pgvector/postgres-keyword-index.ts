import type { KeywordIndex, TelemetryChannel } from '@neptune/core';
import { parseOptions } from '@neptune/core';
import { createQueryRunner, type PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { bm25TableNames } from './bm25-tables';
import { type KeywordChunkTable, keywordChunkTable } from './chunk-table';
import { chunkTableMigrationSql, chunkTableStatements, qualifiedTableName } from './chunk-table-sql';
import { ensureChunkTable } from './ensure-chunk-table';
import { keywordMethods } from './keyword-methods';
import { type KeywordBulkLoadReport, loadThenKeyPostings } from './load-then-index';
import { CHUNK_STORE_ERROR_HINTS, chunkStoreOptionsSchema } from './store-options';

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

/** Building the postings' key after a bulk load of millions of chunks takes minutes, past one query's timeout. */
const KEY_BUILD_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/**
 * The keyword half of `pgvectorStore` on its own: BM25 in Postgres (no extension) over the same table
 * layout without the `embedding` column, for a Postgres that has no pgvector (vectors elsewhere, or
 * keywords only). The SQL is `pgvectorStore`'s, shared code, so testing one on plain Postgres tests the
 * other's keyword side.
 */
export function postgresKeywordIndex(options: PostgresKeywordIndexOptions): PostgresKeywordIndex {
  const settings = parseOptions(chunkStoreOptionsSchema, options, 'postgresKeywordIndex options');
  const layout = { tableName: settings.tableName, schema: settings.schema };
  const table = keywordChunkTable(layout);
  const names = bm25TableNames(layout);
  const runner = createQueryRunner({
    db: settings.db,
    source: 'rag',
    hints: CHUNK_STORE_ERROR_HINTS,
    storeName: 'postgresKeywordIndex',
    tableLabel: qualifiedTableName(layout),
    telemetry: settings.telemetry,
    slowQueryMs: settings.slowQueryMs,
    queryTimeoutMs: settings.queryTimeoutMs,
  });
  const buildRunner = createQueryRunner({
    db: settings.db,
    source: 'rag',
    hints: CHUNK_STORE_ERROR_HINTS,
    storeName: 'postgresKeywordIndex',
    tableLabel: qualifiedTableName(layout),
    telemetry: settings.telemetry,
    slowQueryMs: settings.slowQueryMs,
    queryTimeoutMs: KEY_BUILD_TIMEOUT_MS,
  });
  return {
    name: 'postgres-bm25',
    db: settings.db,
    table,
    migrationSql: chunkTableMigrationSql(layout),
    ensureSchema: () => ensureChunkTable(runner, chunkTableStatements(layout), names),
    bulkLoad: (load) => loadThenKeyPostings(runner, buildRunner, layout, load),
    ...keywordMethods(runner, table, names, 'postgresKeywordIndex', settings.keywordPruning),
  };
}
