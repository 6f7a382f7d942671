import { PGlite } from '@electric-sql/pglite';
import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { drizzle } from 'drizzle-orm/pglite';

export interface PgliteTestDatabase {
  readonly client: PGlite;
  readonly db: PostgresDatabase;
  close(): Promise<void>;
}

/** An in-memory Postgres (PGlite, the embedded and edge path) through drizzle's PGlite driver. */
export async function startPgliteTestDatabase(): Promise<PgliteTestDatabase> {
  const client = await PGlite.create();
  return { client, db: drizzle(client), close: () => client.close() };
}
