/**
 * The drizzle side of Neptune's Postgres plumbing, shared by `@neptune/rag/pgvector` and
 * `@neptune/memory/drizzle` (and your own drizzle stores): the database type, the query runner, and the
 * scope conditions. A separate entry from `@neptune/core/postgres` because it loads `drizzle-orm` (an
 * optional peer), which the driver-free helpers there must not.
 */
export { dateOf, isPostgresDatabase, type PostgresDatabase, rowsOf } from './postgres-database';
export { createQueryRunner, type QueryRunner, type QueryRunnerOptions, type RunQuery } from './query-runner';
export {
  coveredScopeCondition,
  exactScopeCondition,
  type ScopeColumns,
  scopeValues,
} from './scope-condition';
