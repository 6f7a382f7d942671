import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export interface NodePostgresDatabase {
  readonly db: PostgresDatabase;
  /** Runs one statement outside drizzle, for test set-up and clean-up. */
  query(text: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A node-postgres pool for `DATABASE_URL`, through drizzle's node-postgres driver: what production uses. */
export async function connectNodePostgres(connectionString: string): Promise<NodePostgresDatabase> {
  const pool = new pg.Pool({ connectionString, max: 4 });
  return {
    db: drizzle(pool),
    query: (text) => pool.query(text),
    close: () => pool.end(),
  };
}
