import { sql } from 'drizzle-orm';
import type { QueryRunner } from './query-runner';

/**
 * Runs the migration statements one at a time: drivers that use the extended protocol (PGlite, Neon)
 * take a single statement per query. Each is `IF NOT EXISTS`, so running this at every start is safe.
 */
export async function ensureChunkTable(runner: QueryRunner, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await runner.run('ensureSchema', undefined, () => runner.db.execute(sql.raw(statement)));
  }
}
