import type { Metadata } from '@neptune/core';
import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  type PgTableFn,
  pgSchema,
  pgTable,
  primaryKey,
  text,
  timestamp,
  vector,
} from 'drizzle-orm/pg-core';

/** Where the chunk table lives and how its HNSW index is built. Names are validated by the store options. */
export interface ChunkTableLayout {
  /** Table name. Default `neptune_chunks`. */
  readonly tableName: string;
  /** Postgres schema; omitted for the search path's default (usually `public`). */
  readonly schema?: string | undefined;
}

export interface VectorChunkTableLayout extends ChunkTableLayout {
  /** Length of the `embedding` column: `vector(N)`. */
  readonly dimensions: number;
  /** HNSW build parameters; pgvector's defaults are m = 16, ef_construction = 64. */
  readonly hnsw: { readonly m: number; readonly efConstruction: number };
}

/** The SQL expression of the generated column, shared with the migration SQL so the two cannot drift. */
export const USER_SCOPE_EXPRESSION = `coalesce(user_id, '')`;

/** Index and constraint names derived from the table name (kept under Postgres' 63-character limit). */
export function chunkTableNames(tableName: string) {
  return {
    primaryKey: `${tableName}_pkey`,
    scopeIndex: `${tableName}_scope_idx`,
    embeddingIndex: `${tableName}_embedding_idx`,
  };
}

function chunkColumns() {
  return {
    workspaceId: text('workspace_id').notNull(),
    /** Null for workspace-level records. */
    userId: text('user_id'),
    /**
     * `user_id` with null as '' (ids are never empty), so the primary key can include it: a primary key
     * column cannot be null, and `(workspace, null, id)` must still be unique.
     */
    userScope: text('user_scope').notNull().generatedAlwaysAs(sql.raw(USER_SCOPE_EXPRESSION)),
    id: text('id').notNull(),
    /** Null when the record was written without text. */
    text: text('text'),
    metadata: jsonb('metadata').$type<Metadata>().notNull().default({}),
    /**
     * How many terms the English analyzer found in `text` (0 for none or no text); null while the row
     * has not been analysed yet (written before the BM25 migration): `ensureSchema()` indexes those.
     */
    bm25Length: integer('bm25_length'),
    /** The row's distinct terms, so that replacing or removing it takes exactly its postings out. */
    bm25Terms: text('bm25_terms').array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  };
}

function tableFunction(schema: string | undefined): PgTableFn<string | undefined> {
  return schema === undefined ? pgTable : pgSchema(schema).table;
}

/**
 * The chunk table without vectors: ids, text, metadata and each row's BM25 terms. What
 * `postgresKeywordIndex` uses, and a Postgres without pgvector can hold.
 */
export function keywordChunkTable(layout: ChunkTableLayout) {
  const names = chunkTableNames(layout.tableName);
  return tableFunction(layout.schema)(layout.tableName, chunkColumns(), (table) => [
    primaryKey({ name: names.primaryKey, columns: [table.workspaceId, table.userScope, table.id] }),
    index(names.scopeIndex).on(table.workspaceId, table.userId),
  ]);
}

/**
 * The chunk table `pgvectorStore` uses: the keyword columns plus `embedding vector(N)` with an HNSW
 * cosine index. Written once against `pg-core`, so it runs unchanged on node-postgres, Neon and PGlite,
 * and users can add it to their own drizzle schema to have drizzle-kit manage it.
 */
export function vectorChunkTable(layout: VectorChunkTableLayout) {
  const names = chunkTableNames(layout.tableName);
  return tableFunction(layout.schema)(
    layout.tableName,
    { ...chunkColumns(), embedding: vector('embedding', { dimensions: layout.dimensions }) },
    (table) => [
      primaryKey({ name: names.primaryKey, columns: [table.workspaceId, table.userScope, table.id] }),
      index(names.scopeIndex).on(table.workspaceId, table.userId),
      index(names.embeddingIndex)
        .using('hnsw', table.embedding.op('vector_cosine_ops'))
        .with({ m: layout.hnsw.m, ef_construction: layout.hnsw.efConstruction }),
    ],
  );
}

/** The drizzle table `keywordChunkTable` defines. */
export type KeywordChunkTable = ReturnType<typeof keywordChunkTable>;
/** The drizzle table `vectorChunkTable` defines. */
export type VectorChunkTable = ReturnType<typeof vectorChunkTable>;
