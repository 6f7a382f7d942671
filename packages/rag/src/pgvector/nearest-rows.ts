import type { Metadata, MetadataFilter, ScopeKeys } from '@neptune/core';
import { exactScopeCondition, type PostgresDatabase, type QueryRunner } from '@neptune/core/postgres/drizzle';
import { and, asc, isNotNull, type SQL, sql } from 'drizzle-orm';
import { resultRows } from './bm25-writes';
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

/** A row of the exact statement: the scope's size (up to the threshold + 1), and a match when searched. */
interface ExactRow {
  readonly scope_rows: number | string;
  readonly id: string | null;
  readonly text: string | null;
  readonly metadata: Metadata | null;
  readonly distance: number | string | null;
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

/**
 * The `topK` rows nearest to the query vector in the scope (cosine distance), filtered by metadata.
 *
 * Why two paths: an HNSW index scan walks the graph of the whole table and applies the WHERE clause
 * to what it finds. With `hnsw.ef_search = 40`, a workspace holding 20 of a table's 20,000 rows gets
 * back the 40 nearest rows of the table, of which typically none are its own: the query silently
 * returns nothing. So:
 * - a scope of at most `exactSearchThreshold` rows (most workspaces) is searched exactly: its rows are
 *   read through the scope index in a subquery the planner cannot turn into an HNSW scan (a LIMIT keeps
 *   it from being merged into the ORDER BY above it), and only ids and distances are sorted: the text
 *   and metadata of the topK rows are read after, by key, rather than detoasted for every row. The
 *   same statement counts the scope first, so a small scope takes one round trip;
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

  // One round trip for a small scope (most workspaces): the statement counts the scope's rows, no further
  // than the threshold, and searches them exactly only when they are few enough. Behind a one-time filter
  // on that count, a large scope costs only the count, and the HNSW search follows. Names the statement
  // gives end in `$`, which a table name (lower-case letters, digits and _) never does, so none of them
  // hides the chunk table.
  const exact = sql`WITH scope$ AS (
  SELECT count(*) AS n FROM (
    SELECT 1 FROM ${table} WHERE ${exactScopeCondition(table, keys)} LIMIT ${plan.exactSearchThreshold + 1}
  ) AS counted$
), nearest$ AS (
  SELECT scoped$.id, scoped$.distance FROM (
    SELECT ${table.id} AS id, ${distance()} AS distance FROM ${table}
    WHERE ${where} AND (SELECT n FROM scope$) <= ${plan.exactSearchThreshold}::bigint
    LIMIT ${Number.MAX_SAFE_INTEGER}
  ) AS scoped$
  ORDER BY scoped$.distance, scoped$.id LIMIT ${query.topK}
)
SELECT scope$.n AS scope_rows, found$.id, found$.text, found$.metadata, found$.distance
FROM scope$ LEFT JOIN (
  SELECT ${table.id} AS id, ${table.text} AS text, ${table.metadata} AS metadata, nearest$.distance
  FROM nearest$ JOIN ${table} ON ${exactScopeCondition(table, keys)} AND ${table.id} = nearest$.id
) AS found$ ON true
ORDER BY found$.distance, found$.id`;
  const rows = await runner.run(
    'query.exact-or-size',
    keys,
    async () => resultRows<ExactRow>(await runner.db.execute(exact)),
    (found) => found.filter((row) => row.id !== null).length,
  );
  if (Number(rows[0]?.scope_rows ?? 0) <= plan.exactSearchThreshold) {
    return rows.flatMap((row) =>
      row.id === null
        ? []
        : [{ id: row.id, text: row.text, metadata: row.metadata ?? {}, distance: Number(row.distance) }],
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
          .select({
            id: table.id,
            text: table.text,
            metadata: table.metadata,
            distance: distance().as('distance'),
          })
          .from(table)
          .where(where)
          .orderBy(distance())
          .limit(query.topK)
          .as('candidates');
        return db.select().from(candidates).orderBy(asc(candidates.distance), asc(candidates.id));
      }),
    (found) => found.length,
  );
}
