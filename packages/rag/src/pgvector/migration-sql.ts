import { parseOptions } from '@neptune/core';
import { chunkTableMigrationSql, chunkTableRollbackSql } from './chunk-table-sql';
import { chunkStoreOptionsSchema, pgvectorStoreOptionsSchema } from './store-options';

/**
 * Options of `pgvectorMigrationSql`: the vector length, the table and its schema, and the HNSW parameters.
 */
export interface PgvectorMigrationOptions {
  readonly dimensions: number;
  readonly tableName?: string | undefined;
  readonly schema?: string | undefined;
  readonly hnsw?:
    | { readonly m?: number | undefined; readonly efConstruction?: number | undefined }
    | undefined;
}

/**
 * The SQL `pgvectorStore.ensureSchema()` runs, for a migration file: `CREATE EXTENSION IF NOT EXISTS
 * vector`, the chunk table, and its scope, GIN and HNSW indexes. Idempotent.
 */
export function pgvectorMigrationSql(options: PgvectorMigrationOptions): string {
  const settings = parseOptions(
    pgvectorStoreOptionsSchema.pick({ dimensions: true, tableName: true, schema: true, hnsw: true }),
    options,
    'pgvectorMigrationSql options',
  );
  return chunkTableMigrationSql(settings);
}

/** The SQL `postgresKeywordIndex.ensureSchema()` runs: the chunk table without vectors. No extension needed. */
export function postgresKeywordMigrationSql(
  options: { readonly tableName?: string | undefined; readonly schema?: string | undefined } = {},
): string {
  const settings = parseOptions(
    chunkStoreOptionsSchema.pick({ tableName: true, schema: true }),
    options,
    'postgresKeywordMigrationSql options',
  );
  return chunkTableMigrationSql(settings);
}

/**
 * Undoes the BM25 migration of `pgvectorMigrationSql` / `postgresKeywordMigrationSql` on a table: drops
 * the `<table>_postings`, `<table>_df` and `<table>_scopes` tables and the `bm25_*` columns, and restores
 * the full-text `tsv` column and GIN index that releases before BM25 read. Rows and vectors stay.
 */
export function postgresBm25RollbackSql(
  options: { readonly tableName?: string | undefined; readonly schema?: string | undefined } = {},
): string {
  const settings = parseOptions(
    chunkStoreOptionsSchema.pick({ tableName: true, schema: true }),
    options,
    'postgresBm25RollbackSql options',
  );
  return chunkTableRollbackSql(settings);
}
