export type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
export type {
  ChunkTableLayout,
  KeywordChunkTable,
  VectorChunkTable,
  VectorChunkTableLayout,
} from './chunk-table';
export { keywordChunkTable, vectorChunkTable } from './chunk-table';
export type { BulkLoadOptions, BulkLoadReport, KeywordBulkLoadReport } from './load-then-index';
export {
  type PgvectorMigrationOptions,
  pgvectorMigrationSql,
  postgresBm25RollbackSql,
  postgresKeywordMigrationSql,
} from './migration-sql';
export { type PgvectorStore, type PgvectorStoreOptions, pgvectorStore } from './pgvector-store';
export {
  type PostgresKeywordIndex,
  type PostgresKeywordIndexOptions,
  postgresKeywordIndex,
} from './postgres-keyword-index';
