import type { ChunkTableLayout } from './chunk-table';

/** Quotes a (validated) identifier for SQL text, which cannot take identifiers as bind parameters. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function qualified(layout: ChunkTableLayout, name: string): string {
  const table = quoteIdentifier(name);
  return layout.schema === undefined ? table : `${quoteIdentifier(layout.schema)}.${table}`;
}

export function qualifiedTableName(layout: ChunkTableLayout): string {
  return qualified(layout, layout.tableName);
}

/**
 * The quoted names of the three BM25 tables beside a chunk table (`<table>_postings`, `<table>_df`,
 * `<table>_scopes`: at most 48 + 14 characters with `_pkey`, under Postgres' 63), and of the chunk table.
 */
export interface Bm25TableNames {
  readonly chunks: string;
  /** One row per (scope, term, chunk): the term's frequency in the chunk and the chunk's length norm. */
  readonly postings: string;
  /** One row per (scope, term): how many chunks of the scope hold the term. */
  readonly documentFrequencies: string;
  /** One row per scope: chunks with at least one term, and their total length. */
  readonly scopes: string;
  /** The chunk table's name, quoted and qualified, as a text value: the advisory-lock key's prefix. */
  readonly lockPrefix: string;
}

export function bm25TableNames(layout: ChunkTableLayout): Bm25TableNames {
  return {
    chunks: qualifiedTableName(layout),
    postings: qualified(layout, `${layout.tableName}_postings`),
    documentFrequencies: qualified(layout, `${layout.tableName}_df`),
    scopes: qualified(layout, `${layout.tableName}_scopes`),
    lockPrefix: `neptune-bm25:${qualifiedTableName(layout)}`,
  };
}

/**
 * The BM25 statistics tables and the chunk table's two BM25 columns, for a table created before them
 * too (`ADD COLUMN IF NOT EXISTS`): the full-text `tsv` column and its GIN index they replace are
 * dropped. Rows written before have a null `bm25_length` until `ensureSchema()` analyses them.
 *
 * Postings are keyed (scope, term, chunk) and carry the term frequency and the chunk's Lucene length
 * norm, so a search reads one index range per query term and never visits the chunk table to score.
 */
export function bm25TableStatements(layout: ChunkTableLayout): string[] {
  const names = bm25TableNames(layout);
  const key = (suffix: string) => quoteIdentifier(`${layout.tableName}_${suffix}_pkey`);
  return [
    `ALTER TABLE ${names.chunks} ADD COLUMN IF NOT EXISTS bm25_length integer`,
    `ALTER TABLE ${names.chunks} ADD COLUMN IF NOT EXISTS bm25_terms text[]`,
    `DROP INDEX IF EXISTS ${qualified(layout, `${layout.tableName}_tsv_idx`)}`,
    `ALTER TABLE ${names.chunks} DROP COLUMN IF EXISTS tsv`,
    `CREATE TABLE IF NOT EXISTS ${names.postings} (
  workspace_id text NOT NULL,
  user_scope text NOT NULL,
  term text NOT NULL,
  id text NOT NULL,
  tf integer NOT NULL,
  norm smallint NOT NULL,
  CONSTRAINT ${key('postings')} PRIMARY KEY (workspace_id, user_scope, term, id) INCLUDE (tf, norm)
)`,
    `CREATE TABLE IF NOT EXISTS ${names.documentFrequencies} (
  workspace_id text NOT NULL,
  user_scope text NOT NULL,
  term text NOT NULL,
  df integer NOT NULL,
  CONSTRAINT ${key('df')} PRIMARY KEY (workspace_id, user_scope, term)
)`,
    `CREATE TABLE IF NOT EXISTS ${names.scopes} (
  workspace_id text NOT NULL,
  user_scope text NOT NULL,
  doc_count bigint NOT NULL,
  total_length bigint NOT NULL,
  CONSTRAINT ${key('scopes')} PRIMARY KEY (workspace_id, user_scope)
)`,
    postingsKeyStatement(layout),
  ];
}

/**
 * Adds the postings' primary key when it is missing (after a bulk load that dropped it, even one that
 * died half way): built in one sorted pass, far cheaper than maintaining it row by row during a load.
 */
export function postingsKeyStatement(layout: ChunkTableLayout): string {
  const names = bm25TableNames(layout);
  // Identifiers are checked lower-case names, so the quoted one is also a valid string literal.
  return `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('${names.postings}') AND contype = 'p') THEN
    ALTER TABLE ${names.postings} ADD CONSTRAINT ${quoteIdentifier(`${layout.tableName}_postings_pkey`)} PRIMARY KEY (workspace_id, user_scope, term, id) INCLUDE (tf, norm);
  END IF;
END $$`;
}

/** Drops the postings' primary key, for a bulk load into an empty table (`postingsKeyStatement` restores it). */
export function dropPostingsKeyStatement(layout: ChunkTableLayout): string {
  const names = bm25TableNames(layout);
  return `ALTER TABLE ${names.postings} DROP CONSTRAINT IF EXISTS ${quoteIdentifier(`${layout.tableName}_postings_pkey`)}`;
}

/**
 * Undoes `bm25TableStatements`: drops the BM25 tables and columns and restores the full-text column
 * and GIN index of the releases before BM25, for a rollback to one of them.
 */
export function bm25RollbackStatements(layout: ChunkTableLayout): string[] {
  const names = bm25TableNames(layout);
  return [
    `DROP TABLE IF EXISTS ${names.postings}`,
    `DROP TABLE IF EXISTS ${names.documentFrequencies}`,
    `DROP TABLE IF EXISTS ${names.scopes}`,
    `ALTER TABLE ${names.chunks} DROP COLUMN IF EXISTS bm25_length`,
    `ALTER TABLE ${names.chunks} DROP COLUMN IF EXISTS bm25_terms`,
    `ALTER TABLE ${names.chunks} ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(text, ''))) STORED`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${layout.tableName}_tsv_idx`)} ON ${names.chunks} USING gin (tsv)`,
  ];
}
