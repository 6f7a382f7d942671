import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { isDrizzlePostgresDatabase } from '../is-postgres-database';

/**
 * Any drizzle Postgres database: `drizzle(pool)` from `drizzle-orm/node-postgres`, `drizzle-orm/neon-http`,
 * `drizzle-orm/neon-serverless`, `drizzle-orm/pglite` or `drizzle-orm/postgres-js`. Neptune's stores use
 * only what they all share: the query builder, `sql`, `execute` and (where the driver has one)
 * `transaction`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the app's own schema type is its business; the stores never read it.
export type PostgresDatabase = PgDatabase<PgQueryResultHKT, any>;

/** True for a drizzle Postgres database: checked by shape, so it holds for every drizzle driver. */
export function isPostgresDatabase(value: unknown): value is PostgresDatabase {
  return isDrizzlePostgresDatabase(value);
}

/** Rows of a raw `execute()`: node-postgres, Neon and PGlite return `{ rows }`, postgres.js an array. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: unknown[] } | undefined)?.rows ?? []) as Record<string, unknown>[];
}

/** A timestamp from a raw row: a Date from node-postgres and PGlite, a string from HTTP drivers. */
export function dateOf(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
