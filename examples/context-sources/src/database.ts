import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

/**
 * A pool and its drizzle database. `searchPath` picks the Postgres schema the unqualified tables live
 * in (the benchmark keeps an indexed and an unindexed copy of the same data side by side).
 */
export function openDatabase(
  connectionString: string,
  options: { searchPath?: string; max?: number } = {},
): { pool: pg.Pool; db: NodePgDatabase } {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
  });
  return { pool, db: drizzle(pool) };
}
