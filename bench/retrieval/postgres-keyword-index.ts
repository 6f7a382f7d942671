import { type PostgresDatabase, pgvectorStore, postgresKeywordIndex } from '@neptune/rag/pgvector';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { vacuumTables } from '../lib/postgres-tables';

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
  const settle = () => vacuumTables(pool, tableName);
  // A build into the emptied table goes through bulkLoad: the postings' key is built once after it.
  const load = async (writes: () => Promise<void>) => {
    const report = await index.bulkLoad(writes);
    lastKeyBuildMs = report.indexBuildMs;
  };
  let lastKeyBuildMs = 0;
  return { index, load, settle, close: () => pool.end(), keyBuildMs: () => lastKeyBuildMs };
}

/**
 * `pgvectorStore` (vectors and BM25 in one table family, as users deploy on Neon) on the Postgres at
 * DATABASE_URL, when that server has the pgvector extension; `undefined` when it has not (Debian's
 * Postgres), so the benchmark then measures the keyword index alone there.
 */
export async function benchPgvectorStore(tableName: string, dimensions: number) {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const available = await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
  if (available.rowCount === 0) {
    await pool.end();
    return undefined;
  }
  const store = pgvectorStore({
    db: drizzle(pool) as unknown as PostgresDatabase,
    tableName,
    dimensions,
    queryTimeoutMs: 600_000,
  });
  const settle = () => vacuumTables(pool, tableName);
  const load = async (writes: () => Promise<void>) => {
    await store.bulkLoad(writes, { maintenanceWorkMem: '1GB' });
  };
  const version = async () =>
    (await pool.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'")).rows[0]?.extversion as
      | string
      | undefined;
  return { store, load, settle, version, close: () => pool.end() };
}
