import type { KeywordIndex, TelemetryChannel } from '@neptune/core';
import { parseOptions } from '@neptune/core';
import { createQueryRunner, type PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { bm25TableNames } from './bm25-tables';
import { type KeywordChunkTable, keywordChunkTable } from './chunk-table';
import { chunkTableMigrationSql, chunkTableStatements, qualifiedTableName } from './chunk-table-sql';
import { ensureChunkTable } from './ensure-chunk-table';
import { keywordMethods } from './keyword-methods';
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
}

export interface PostgresKeywordIndex extends KeywordIndex {
  readonly name: 'postgres-bm25';
  readonly db: PostgresDatabase;
  readonly table: KeywordChunkTable;
  readonly migrationSql: string;
  ensureSchema(): Promise<void>;
}

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
  return {
    name: 'postgres-bm25',
    db: settings.db,
    table,
    migrationSql: chunkTableMigrationSql(layout),
    ensureSchema: () => ensureChunkTable(runner, chunkTableStatements(layout), names),
    ...keywordMethods(runner, table, names, 'postgresKeywordIndex'),
  };
}
