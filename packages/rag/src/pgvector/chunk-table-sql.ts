import {
  bm25RollbackStatements,
  bm25TableStatements,
  qualifiedTableName,
  quoteIdentifier,
} from './bm25-tables';
import {
  type ChunkTableLayout,
  chunkTableNames,
  USER_SCOPE_EXPRESSION,
  type VectorChunkTableLayout,
} from './chunk-table';

export { qualifiedTableName, quoteIdentifier };

function isVectorLayout(layout: ChunkTableLayout): layout is VectorChunkTableLayout {
  return 'dimensions' in layout;
}

/**
 * The statements that create the chunk table, its indexes and the BM25 tables beside it, idempotently
 * (`IF NOT EXISTS`), migrating a table of an earlier release in place. They match `vectorChunkTable` /
 * `keywordChunkTable` column for column; a test compares the two.
 */
export function chunkTableStatements(layout: ChunkTableLayout | VectorChunkTableLayout): string[] {
  const table = qualifiedTableName(layout);
  const names = chunkTableNames(layout.tableName);
  const vectors = isVectorLayout(layout);
  const statements: string[] = [];
  if (vectors) statements.push('CREATE EXTENSION IF NOT EXISTS vector');
  if (layout.schema !== undefined)
    statements.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(layout.schema)}`);
  const columns = [
    'workspace_id text NOT NULL',
    'user_id text',
    `user_scope text NOT NULL GENERATED ALWAYS AS (${USER_SCOPE_EXPRESSION}) STORED`,
    'id text NOT NULL',
    'text text',
    `metadata jsonb NOT NULL DEFAULT '{}'::jsonb`,
    'bm25_length integer',
    'bm25_terms text[]',
    'created_at timestamp with time zone NOT NULL DEFAULT now()',
    ...(vectors ? [`embedding vector(${layout.dimensions})`] : []),
    `CONSTRAINT ${quoteIdentifier(names.primaryKey)} PRIMARY KEY (workspace_id, user_scope, id)`,
  ];
  statements.push(`CREATE TABLE IF NOT EXISTS ${table} (\n  ${columns.join(',\n  ')}\n)`);
  if (vectors && layout.dimensions <= INLINE_VECTOR_MAX_DIMENSIONS)
    statements.push(inlineEmbeddingStatement(table));
  statements.push(
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(names.scopeIndex)} ON ${table} (workspace_id, user_id)`,
  );
  if (vectors) statements.push(hnswIndexStatement(layout));
  statements.push(...bm25TableStatements(layout));
  return statements;
}

/**
 * Vectors of up to this many dimensions are kept in their row (`STORAGE PLAIN`): 4 bytes a dimension
 * plus 8, with room left in an 8 KB page for the row's other columns as TOAST pointers, so a row always
 * fits. Longer ones (to pgvector's HNSW limit of 2,000) keep pgvector's `EXTERNAL`.
 */
export const INLINE_VECTOR_MAX_DIMENSIONS = 1_900;

/**
 * Keeps each vector in its row, uncompressed, where it fits. pgvector's `vector` is `STORAGE EXTERNAL`,
 * and Postgres moves the largest attributes out of a row over about 2 KB, so any vector of more than
 * about 500 dimensions (OpenAI's 1,536: 6 KB) lived in the TOAST table, each read a second index lookup.
 * An exact search reads every vector of the scope: on SciFact (5,183 chunks, 1,536 dimensions, a quiet
 * machine) it took 25 to 35 ms with the vectors in TOAST and 11 to 13 ms with them in the row. With
 * `PLAIN` the text, terms and metadata are what go to TOAST, read only for the `topK` rows. Tried and
 * worse: `STORAGE MAIN` compresses a vector in the row when it can (68 ms: every vector decompressed),
 * and a table-wide `toast_tuple_target` of 8160 still moved the vector out of rows with long texts (it
 * is the largest value). Checked first, so an `ensureSchema()` on a migrated table changes nothing; rows
 * written before the change stay in TOAST until they are rewritten.
 */
export function inlineEmbeddingStatement(table: string): string {
  // `table` is built from checked lower-case identifiers, so quoting it as a literal needs no escaping.
  return `DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('${table}') AND attname = 'embedding' AND attstorage <> 'p') THEN
    ALTER TABLE ${table} ALTER COLUMN embedding SET STORAGE PLAIN;
  END IF;
END $$`;
}

/** Creates the HNSW index on `embedding` when missing: by `ensureSchema()`, and after a bulk load. */
export function hnswIndexStatement(layout: VectorChunkTableLayout): string {
  const names = chunkTableNames(layout.tableName);
  return `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(names.embeddingIndex)} ON ${qualifiedTableName(layout)} USING hnsw (embedding vector_cosine_ops) WITH (m = ${layout.hnsw.m}, ef_construction = ${layout.hnsw.efConstruction})`;
}

/** Drops the HNSW index, for a bulk load into an empty table (an index lives in its table's schema). */
export function dropHnswIndexStatement(layout: VectorChunkTableLayout): string {
  const index = quoteIdentifier(chunkTableNames(layout.tableName).embeddingIndex);
  const qualified = layout.schema === undefined ? index : `${quoteIdentifier(layout.schema)}.${index}`;
  return `DROP INDEX IF EXISTS ${qualified}`;
}

/** The same statements as one script, for a migration file. */
export function chunkTableMigrationSql(layout: ChunkTableLayout | VectorChunkTableLayout): string {
  return `${chunkTableStatements(layout).join(';\n\n')};\n`;
}

/** The rollback of the BM25 migration, as one script: back to the full-text column of earlier releases. */
export function chunkTableRollbackSql(layout: ChunkTableLayout): string {
  return `${bm25RollbackStatements(layout).join(';\n\n')};\n`;
}
