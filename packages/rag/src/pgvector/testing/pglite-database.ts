import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { drizzle } from 'drizzle-orm/pglite';

export interface PgliteDatabase {
  readonly client: PGlite;
  readonly db: PostgresDatabase;
  close(): Promise<void>;
}

/** An in-memory Postgres 17 with pgvector (PGlite), through drizzle's PGlite driver. Starts in a few seconds. */
export async function startPgliteDatabase(): Promise<PgliteDatabase> {
  const client = await PGlite.create({ extensions: { vector } });
  return { client, db: drizzle(client), close: () => client.close() };
}
