/** Helpers shared by Neptune's Postgres stores (and yours): error mapping and the drizzle database check. */
export { isDrizzlePostgresDatabase } from './is-postgres-database';
export { mapPostgresError, type PostgresErrorHints } from './postgres-error';
