import { isDrizzlePostgresDatabase } from '@neptune/core/postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * Any drizzle Postgres database: `drizzle(pool)` from `drizzle-orm/node-postgres`, `drizzle-orm/neon-http`,
 * `drizzle-orm/neon-serverless`, `drizzle-orm/pglite`. The stores only use what they all share: the
 * query builder, `sql` and `transaction` (used when the driver has one).
 */
// biome-ignore lint/suspicious/noExplicitAny: the user's schema type is theirs; the stores never read it.
export type PostgresDatabase = PgDatabase<PgQueryResultHKT, any>;

export function isPostgresDatabase(value: unknown): value is PostgresDatabase {
  return isDrizzlePostgresDatabase(value);
}
