import { telemetryChannelSchema } from '@neptune/core';
import type { PostgresErrorHints } from '@neptune/core/postgres';
import {
  createQueryRunner,
  isPostgresDatabase,
  type PostgresDatabase,
  type QueryRunner,
} from '@neptune/core/postgres/drizzle';
import { z } from 'zod';
import type { ChunkTableLayout } from './chunk-table';
import { qualifiedTableName } from './chunk-table-sql';

/**
 * Table and schema names: lower-case identifiers, short enough that `<table>_embedding_idx` stays under
 * Postgres' 63-character limit. They appear in DDL, which cannot take bind parameters, so they are
 * checked rather than escaped.
 */
const identifier = (what: string, maxLength: number) =>
  z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, `${what} must be a lower-case SQL identifier: letters, digits and _`)
    .max(maxLength, `${what} must be at most ${maxLength} characters`);

/** Options shared by `pgvectorStore` and `postgresKeywordIndex`. */
export const chunkStoreOptionsSchema = z.object({
  db: z.custom<PostgresDatabase>(
    isPostgresDatabase,
    'must be a drizzle Postgres database: drizzle(pool) from drizzle-orm/node-postgres, or drizzle-orm/neon-http, neon-serverless or pglite',
  ),
  tableName: identifier('tableName', 48).default('neptune_chunks'),
  schema: identifier('schema', 63).optional(),
  telemetry: telemetryChannelSchema.optional(),
  slowQueryMs: z.number().positive().default(500),
  /** The longest one query may take before it fails with a retryable `TimeoutError`, in ms. */
  queryTimeoutMs: z.number().int().min(1).max(600_000).default(10_000),
  /**
   * Dynamic pruning of keyword searches without a metadata filter (MaxScore over round trips, see
   * `searchBm25`): 'auto' once the query's terms hold over 20,000 postings, 'always', or 'never'. Results
   * are the same either way.
   */
  keywordPruning: z.enum(['auto', 'always', 'never']).default('auto'),
});

/**
 * pgvector's HNSW index holds `vector` columns of up to 2,000 dimensions; larger embeddings
 * (text-embedding-3-large's 3,072) need `halfvec` or a `dimensions` parameter on the embedding call.
 */
export const MAX_HNSW_DIMENSIONS = 2000;

export const pgvectorStoreOptionsSchema = chunkStoreOptionsSchema.extend({
  dimensions: z
    .number({ error: 'dimensions is required: the length of the vectors your embedder returns' })
    .int('dimensions must be a whole number')
    .positive('dimensions must be at least 1')
    .max(
      MAX_HNSW_DIMENSIONS,
      `pgvector's HNSW index supports at most ${MAX_HNSW_DIMENSIONS} dimensions; ask the embedding model for fewer (OpenAI's text-embedding-3 models take a dimensions parameter)`,
    ),
  hnsw: z
    .object({
      m: z.number().int().min(2).max(100).default(16),
      efConstruction: z.number().int().min(4).max(1000).default(64),
      efSearch: z.number().int().min(1).max(1000).default(100),
    })
    .default({ m: 16, efConstruction: 64, efSearch: 100 }),
  exactSearchThreshold: z.number().int().nonnegative().default(10_000),
});

/** What a failed query of the chunk stores advises, for `mapPostgresError`. */
export const CHUNK_STORE_ERROR_HINTS = {
  missingSchema:
    'Create the table first: call ensureSchema() once at start-up, or add the migration SQL (migrationSql) to your migrations.',
  refusedValue:
    'Check the ids, text and metadata passed; Postgres text cannot hold the NUL character (\\u0000).',
  // 42704: type "vector" does not exist; 0A000 / 58P01: CREATE EXTENSION found no pgvector to install.
  configuration: (code: string, reason: string) =>
    ['42704', '0A000', '58P01'].includes(code) && /vector/i.test(reason)
      ? 'The pgvector extension is missing: run CREATE EXTENSION vector (Neon, Supabase and most hosts ship it), or use postgresKeywordIndex on a Postgres without pgvector.'
      : undefined,
} satisfies PostgresErrorHints;

/** The longest an index build after a bulk load may take (HNSW graph, postings key): 6 hours. */
const INDEX_BUILD_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/**
 * The two query runners of a chunk store, from its parsed options: `runner` for every call (bounded by
 * `queryTimeoutMs`), `buildRunner` for the index builds after a bulk load, which take minutes on a large
 * table, far past one query's timeout. Both map Postgres errors with `CHUNK_STORE_ERROR_HINTS`.
 */
export function chunkStoreRunners(
  settings: z.output<typeof chunkStoreOptionsSchema>,
  storeName: string,
  layout: ChunkTableLayout,
): { readonly runner: QueryRunner; readonly buildRunner: QueryRunner } {
  const common = {
    db: settings.db,
    source: 'rag',
    hints: CHUNK_STORE_ERROR_HINTS,
    storeName,
    tableLabel: qualifiedTableName(layout),
    telemetry: settings.telemetry,
    slowQueryMs: settings.slowQueryMs,
  };
  return {
    runner: createQueryRunner({ ...common, queryTimeoutMs: settings.queryTimeoutMs }),
    buildRunner: createQueryRunner({ ...common, queryTimeoutMs: INDEX_BUILD_TIMEOUT_MS }),
  };
}
