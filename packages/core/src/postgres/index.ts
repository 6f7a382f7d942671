/** Helpers shared by Neptune's Postgres stores (and yours): bounded calls, error mapping and the drizzle database check. */
export { type BoundedQueryOptions, boundedQuery, DEFAULT_POSTGRES_QUERY_TIMEOUT_MS } from './bounded-query';
export { isDrizzlePostgresDatabase } from './is-postgres-database';
export { mapPostgresError, type PostgresErrorHints } from './postgres-error';
