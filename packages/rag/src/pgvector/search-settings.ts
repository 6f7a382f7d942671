import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';

export interface HnswSearchSettings {
  /** Candidates the HNSW scan keeps (`hnsw.ef_search`); pgvector's default is 40. */
  readonly efSearch: number;
  /**
   * pgvector >= 0.8: keep scanning the graph until LIMIT rows pass the WHERE clause
   * (`hnsw.iterative_scan = relaxed_order`) instead of stopping after `efSearch` candidates.
   */
  readonly iterativeScan: boolean;
}

/**
 * Runs `query` with the HNSW settings applied to it alone (`set_config(..., is_local => true)` inside a
 * transaction), so a pooled connection never carries them to someone else's query.
 *
 * A driver that cannot hold a transaction open (neon-http answers every statement over its own HTTP
 * request) rejects before the callback runs; the query then runs without session settings, and the
 * database-level defaults apply (docs/rag-stores.md shows the `ALTER DATABASE` that sets them).
 */
export async function withHnswSettings<Result>(
  db: PostgresDatabase,
  settings: HnswSearchSettings,
  query: (db: PostgresDatabase) => Promise<Result>,
): Promise<Result> {
  let started = false;
  try {
    return await db.transaction(async (transaction) => {
      started = true;
      const efSearch = String(settings.efSearch);
      await transaction.execute(
        settings.iterativeScan
          ? sql`SELECT set_config('hnsw.ef_search', ${efSearch}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`
          : sql`SELECT set_config('hnsw.ef_search', ${efSearch}, true)`,
      );
      return query(transaction);
    });
  } catch (error) {
    if (started) throw error;
    return query(db);
  }
}
