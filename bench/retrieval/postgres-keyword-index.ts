import { type PostgresDatabase, postgresKeywordIndex } from '@neptune/rag/pgvector';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';

/** Whether the benchmark was asked to measure Postgres: `--store=postgres` / `--store postgres`. */
export function postgresRequested(): boolean {
  const index = process.argv.indexOf('--store');
  return process.argv.includes('--store=postgres') || (index >= 0 && process.argv[index + 1] === 'postgres');
}

/**
 * `postgresKeywordIndex` (BM25 in Postgres, no extension) on the Postgres at DATABASE_URL, in a table of
 * the benchmark's own; `settle` vacuums it after a build, `close` ends the pool. The benchmark's scope is
 * cleared at each build.
 */
export function benchPostgresKeywordIndex(tableName: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Measuring Postgres needs DATABASE_URL (postgres://…).');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // The bench resolves its own drizzle-orm copy (other peers), so its types are not rag's, though the
  // object is the same kind; the runtime check in postgresKeywordIndex still applies.
  // Clearing the previous size's millions of postings takes longer than a query's default 10 s.
  const index = postgresKeywordIndex({
    db: drizzle(pool) as unknown as PostgresDatabase,
    tableName,
    queryTimeoutMs: 600_000,
  });
  // After a bulk load, as autovacuum soon would: index-only scans then skip the heap, and the planner
  // has statistics.
  const settle = async () => {
    for (const suffix of ['', '_postings', '_df', '_scopes'])
      await pool.query(`VACUUM (ANALYZE) "${tableName}${suffix}"`);
  };
  // A build into the emptied table goes through bulkLoad: the postings' key is built once after it.
  const load = async (writes: () => Promise<void>) => {
    const report = await index.bulkLoad(writes);
    lastKeyBuildMs = report.indexBuildMs;
  };
  let lastKeyBuildMs = 0;
  return { index, load, settle, close: () => pool.end(), keyBuildMs: () => lastKeyBuildMs };
}
