import type { Metadata, MetadataFilter, ScopeKeys } from '@neptune/core';
import { exactScopeCondition, type PostgresDatabase, type QueryRunner } from '@neptune/core/postgres/drizzle';
import { and, asc, count, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { VectorChunkTable } from './chunk-table';
import { metadataFilterSql } from './metadata-filter-sql';
import { withHnswSettings } from './search-settings';

export interface NearestRowsQuery {
  readonly vector: Float32Array | readonly number[];
  readonly topK: number;
  readonly filter?: MetadataFilter | undefined;
}

export interface NearestRowsPlan {
  /** Scopes with at most this many rows are searched exactly, without the HNSW index. */
  readonly exactSearchThreshold: number;
  /** `hnsw.ef_search` for the HNSW path, before raising it to fit topK. */
  readonly efSearch: number;
  /** The pgvector version supports `hnsw.iterative_scan` (0.8 and later). */
  readonly iterativeScan: boolean;
}

export interface NearestRow {
  readonly id: string;
  readonly text: string | null;
  readonly metadata: Metadata;
  /** Cosine distance, 1 - similarity; NaN when either vector is all zeros. */
  readonly distance: number;
}

/** pgvector's text form, `[1,2,3]`, bound as one parameter and cast with `::vector`. */
function vectorLiteral(vector: Float32Array | readonly number[]): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** How many rows the scope holds, counting no further than `limit` (an index-only scan of at most that many). */
async function scopeRowsUpTo(runner: QueryRunner, table: VectorChunkTable, keys: ScopeKeys, limit: number) {
  const { db } = runner;
  const rows = db
    .select({ one: sql`1` })
    .from(table)
    .where(exactScopeCondition(table, keys))
    .limit(limit)
    .as('scope_rows');
  const [row] = await runner.run('query.scope-size', keys, () => db.select({ rows: count() }).from(rows));
  return Number(row?.rows ?? 0);
}

/**
 * The `topK` rows nearest to the query vector in the scope (cosine distance), filtered by metadata.
 *
 * Why two paths: an HNSW index scan walks the graph of the whole table and applies the WHERE clause
 * to what it finds. With `hnsw.ef_search = 40`, a workspace holding 20 of a table's 20,000 rows gets
 * back the 40 nearest rows of the table, of which typically none are its own: the query silently
 * returns nothing. So:
 * - a scope of at most `exactSearchThreshold` rows (most workspaces) is searched exactly: its rows are
 *   read through the scope index in a subquery the planner cannot turn into an HNSW scan, and sorted;
 * - a larger scope uses the HNSW index, with `hnsw.iterative_scan = relaxed_order` (pgvector >= 0.8)
 *   so the scan continues until `topK` rows pass the filter, and the results are re-sorted because
 *   relaxed order may return them slightly out of order.
 */
export async function nearestRows(
  runner: QueryRunner,
  table: VectorChunkTable,
  keys: ScopeKeys,
  query: NearestRowsQuery,
  plan: NearestRowsPlan,
): Promise<NearestRow[]> {
  const literal = vectorLiteral(query.vector);
  const where = and(
    exactScopeCondition(table, keys),
    isNotNull(table.embedding),
    metadataFilterSql(table.metadata, query.filter),
  ) as SQL;
  const distance = () => sql<number>`${table.embedding} <=> ${literal}::vector`;
  const columns = () => ({
    id: table.id,
    text: table.text,
    metadata: table.metadata,
    distance: distance().as('distance'),
  });
  const rowCount = (rows: readonly NearestRow[]) => rows.length;

  const scopeRows = await scopeRowsUpTo(runner, table, keys, plan.exactSearchThreshold + 1);
  if (scopeRows <= plan.exactSearchThreshold) {
    return runner.run(
      'query.exact',
      keys,
      () => {
        // A LIMIT (of any size; drizzle drops OFFSET 0) keeps Postgres from merging the subquery into
        // the outer query, so the ORDER BY below sorts the scope's rows and is never answered by the
        // HNSW index, whatever the planner estimates the scope's size to be. Only ids and distances are
        // sorted: the text and metadata of the topK rows are read after, by key, rather than
        // detoasted for every row of the scope (a third of the exact search's time on SciFact).
        const scoped = runner.db
          .select({ id: table.id, distance: distance().as('distance') })
          .from(table)
          .where(where)
          .limit(Number.MAX_SAFE_INTEGER)
          .as('scoped');
        const nearest = runner.db
          .select()
          .from(scoped)
          .orderBy(asc(scoped.distance), asc(scoped.id))
          .limit(query.topK)
          .as('nearest');
        return runner.db
          .select({ id: table.id, text: table.text, metadata: table.metadata, distance: nearest.distance })
          .from(nearest)
          .innerJoin(table, and(exactScopeCondition(table, keys), eq(table.id, nearest.id)))
          .orderBy(asc(nearest.distance), asc(nearest.id));
      },
      rowCount,
    );
  }
  const efSearch = Math.min(
    1000,
    plan.iterativeScan
      ? Math.max(plan.efSearch, query.topK * 2)
      : // Without iterative scans, a wider candidate list is the only way to keep filtered recall.
        Math.max(plan.efSearch, query.topK * 10),
  );
  return runner.run(
    'query.hnsw',
    keys,
    () =>
      withHnswSettings(runner.db, { efSearch, iterativeScan: plan.iterativeScan }, (db: PostgresDatabase) => {
        const candidates = db
          .select(columns())
          .from(table)
          .where(where)
          .orderBy(distance())
          .limit(query.topK)
          .as('candidates');
        return db.select().from(candidates).orderBy(asc(candidates.distance), asc(candidates.id));
      }),
    rowCount,
  );
}
