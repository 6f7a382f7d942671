import type pg from 'pg';

/** A chunk table's family: the table itself and its BM25 tables (postings, document frequencies, scope totals). */
const TABLE_SUFFIXES = ['', '_postings', '_df', '_scopes'] as const;

/** VACUUM (ANALYZE) of a chunk table and its BM25 tables, as autovacuum soon would after a bulk load. */
export async function vacuumTables(pool: pg.Pool, tableName: string): Promise<void> {
  for (const suffix of TABLE_SUFFIXES) await pool.query(`VACUUM (ANALYZE) "${tableName}${suffix}"`);
}

/** Drops a benchmark's chunk table and its BM25 tables. */
export async function dropTables(pool: pg.Pool, tableName: string): Promise<void> {
  for (const suffix of TABLE_SUFFIXES) await pool.query(`DROP TABLE IF EXISTS "${tableName}${suffix}"`);
}
