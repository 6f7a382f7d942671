import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { randomTestId } from '@neptune/core/testing';

export interface PostgresTestDatabase {
  readonly db: PostgresDatabase;
  /** The random schema every connection of the pool works in (its search_path). */
  readonly schema: string;
  /** Runs one statement outside drizzle, for set-up and clean-up. */
  query(text: string): Promise<{ rows: Record<string, unknown>[] }>;
  /** Drops the schema and closes the pool. */
  close(): Promise<void>;
}

/**
 * A node-postgres pool on DATABASE_URL whose connections use a fresh random schema as their search_path,
 * so the migrations run unchanged (unqualified names) and each test file has its own tables.
 */
export async function startPostgresTestDatabase(url: string): Promise<PostgresTestDatabase> {
  const [{ drizzle }, pg] = await Promise.all([import('drizzle-orm/node-postgres'), import('pg')]);
  const schema = randomTestId('neptune_memory_').toLowerCase();
  const admin = new pg.default.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  const pool = new pg.default.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  return {
    db: drizzle(pool),
    schema,
    query: (text) => pool.query(text),
    async close() {
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    },
  };
}
