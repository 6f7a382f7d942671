/** Helpers shared by Neptune's Postgres stores (and yours): bounded calls, error mapping, the drizzle database check, and query timing with EXPLAIN for slow queries. */
export { type BoundedQueryOptions, boundedQuery, DEFAULT_POSTGRES_QUERY_TIMEOUT_MS } from './bounded-query';
export {
  createQueryInstrumentation,
  DEFAULT_SLOW_QUERY_MS,
  type InstrumentableQuery,
  type InstrumentQuery,
  type QueryCallOptions,
  type QueryInstrumentationOptions,
  type QueryLogger,
  type SqlStatement,
} from './create-query-instrumentation';
export { isDrizzlePostgresDatabase } from './is-postgres-database';
export { type PgExplainAnalyzeOptions, type PgPoolLike, pgExplainAnalyze } from './pg-explain-analyze';
export { mapPostgresError, type PostgresErrorHints } from './postgres-error';
