import type { KeywordMatch, Metadata, MetadataFilter, ScopeKeys } from '@neptune/core';
import type { QueryRunner } from '@neptune/core/postgres/drizzle';
import { type SQL, sql } from 'drizzle-orm';
import { englishAnalyzer } from '../analysis/english-analyzer';
import { decodeLengthNorm } from '../keyword/lucene-length-norm';
import type { Bm25TableNames } from './bm25-tables';
import { type ScoringTerm, termWeightsAgree } from './bm25-term-weights';
import { resultRows, userScopeOf } from './bm25-writes';
import type { KeywordChunkTable } from './chunk-table';
import { metadataFilterSql } from './metadata-filter-sql';

/** Anserini's BM25 parameters for BEIR, the memory index's defaults. */
export const BM25_K1 = 0.9;
export const BM25_B = 0.4;

/** The lengths Lucene's 256 one-byte norms stand for, in norm order: the SQL builds its norm table from them. */
const DECODED_LENGTHS = `{${Array.from({ length: 256 }, (_, norm) => decodeLengthNorm(norm)).join(',')}}`;
/** `luceneNormInverseTable`'s constants, as the 32-bit floats it computes with. */
const K1_FLOAT = Math.fround(BM25_K1);
const B_FLOAT = Math.fround(BM25_B);
const ONE_MINUS_B_FLOAT = Math.fround(1 - B_FLOAT);

/** A row of the search statement: a match (`position` set) or a query term it scored with (`term` set). */
interface SearchRow {
  readonly position: number | string | null;
  readonly id: string | null;
  readonly text: string | null;
  readonly metadata: Metadata | null;
  readonly score: number | string;
  readonly term: string | null;
  readonly df: number | string | null;
  readonly document_count: number | string | null;
}

export interface Bm25SearchRequest {
  readonly runner: QueryRunner;
  readonly names: Bm25TableNames;
  readonly table: KeywordChunkTable;
  readonly keys: ScopeKeys;
  readonly query: string;
  readonly topK: number;
  readonly filter?: MetadataFilter | undefined;
}

/**
 * BM25 exactly as `Bm25Index` (and Lucene) scores it, in one statement over the scope's statistics:
 *
 * 1. the query is analysed here, with the memory index's English analyzer; terms are weighted by count;
 * 2. the statement reads the scope's chunk count and total length and the terms' document frequencies,
 *    and computes what `Bm25Index` computes from them, in the same 32-bit float steps (`real` arithmetic
 *    is IEEE single precision, as `Math.fround` is): each term's weight `count · idf` and Lucene's
 *    256-entry length-norm table;
 * 3. it scores each query term's postings range of the `(workspace, scope, term)` key, one `real`
 *    expression per posting, Lucene's `w − w / (1 + tf · normInverse[norm])`, summed in double precision
 *    and rounded to float as Lucene does, and returns the best `topK` by score then id, with their rows;
 * 4. it also returns the terms' document frequencies and weights: idf takes a logarithm, which Postgres'
 *    C library and V8 may round differently in the last bit, so the weights are checked here against
 *    the memory index's own functions and, if one differs, the search runs again with ours.
 *
 * Each term's score is therefore the memory index's bit for bit; only the order of the final
 * double-precision sum may differ (below one float ulp). One round trip per search.
 */
export async function searchBm25(request: Bm25SearchRequest): Promise<KeywordMatch[]> {
  const counts = new Map<string, number>();
  for (const term of englishAnalyzer(request.query)) counts.set(term, (counts.get(term) ?? 0) + 1);
  if (counts.size === 0) return [];
  let weights: ReadonlyMap<string, number> | undefined;
  // A concurrent write between two attempts can change the statistics again; three attempts settle it.
  for (let attempt = 1; ; attempt++) {
    const rows = await runSearch(request, counts, weights);
    const terms: ScoringTerm[] = rows.flatMap((row) =>
      row.term === null
        ? []
        : [
            {
              term: row.term,
              count: counts.get(row.term) ?? 0,
              documentFrequency: Number(row.df),
              documentCount: Number(row.document_count),
              weight: Number(row.score),
            },
          ],
    );
    const check = termWeightsAgree(terms);
    if (check.agree || attempt === 3) return matchesOf(rows);
    weights = check.expected;
  }
}

function matchesOf(rows: readonly SearchRow[]): KeywordMatch[] {
  return rows
    .filter((row) => row.position !== null)
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((row) => ({
      id: row.id!,
      // Postgres prints the float4 in its shortest form; rounding back to float recovers the exact value.
      score: Math.fround(Number(row.score)),
      text: row.text ?? undefined,
      metadata: row.metadata ?? {},
    }));
}

async function runSearch(
  request: Bm25SearchRequest,
  counts: ReadonlyMap<string, number>,
  weights: ReadonlyMap<string, number> | undefined,
): Promise<SearchRow[]> {
  const { runner, keys } = request;
  const statement = searchStatement(request, counts, weights);
  return resultRows<SearchRow>(
    await runner.run(
      'search',
      keys,
      () => runner.db.execute(statement),
      (result) => resultRows<SearchRow>(result).filter((row) => row.position !== null).length,
    ),
  );
}

function searchStatement(
  request: Bm25SearchRequest,
  counts: ReadonlyMap<string, number>,
  weights: ReadonlyMap<string, number> | undefined,
): SQL {
  const { names, keys, table } = request;
  const workspaceId = keys.filter.workspaceId;
  const userScope = userScopeOf(keys);
  const query = JSON.stringify([...counts].map(([term, count]) => ({ term, count })));
  const given = JSON.stringify(Object.fromEntries(weights ?? []));
  const filter = metadataFilterSql(table.metadata, request.filter);
  // Without a filter the best topK are chosen from the postings alone, and only they are joined to their
  // rows; with one, every scored row is joined so that topK is filled from the rows the filter allows.
  const limitScored =
    filter === undefined ? sql`ORDER BY score DESC, p.id COLLATE "C" LIMIT ${request.topK}` : sql``;
  return sql`WITH s AS (
  SELECT doc_count::double precision AS n,
    (total_length::double precision / doc_count::double precision)::real AS average_length
  FROM ${sql.raw(names.scopes)} WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND doc_count > 0
),
q AS (
  SELECT f.term, f.df, s.n, coalesce(
    (${given}::json ->> f.term)::real,
    c.count::real * ln(1::double precision + (s.n - f.df + 0.5::double precision) / (f.df + 0.5::double precision))::real
  ) AS weight
  FROM s CROSS JOIN json_to_recordset(${query}::json) AS c(term text, count integer)
  JOIN ${sql.raw(names.documentFrequencies)} f
    ON f.workspace_id = ${workspaceId} AND f.user_scope = ${userScope} AND f.term = c.term AND f.df > 0
),
n AS (
  SELECT array_agg(
    1::real / (${K1_FLOAT}::real * (${ONE_MINUS_B_FLOAT}::real + (${B_FLOAT}::real * d.length::real) / s.average_length))
    ORDER BY d.norm
  ) AS inverse
  FROM s CROSS JOIN unnest(${DECODED_LENGTHS}::bigint[]) WITH ORDINALITY AS d(length, norm)
),
scored AS (
  SELECT p.id, sum((q.weight - q.weight / (1::real + p.tf::real * n.inverse[p.norm + 1]))::double precision)::real AS score
  FROM q CROSS JOIN n CROSS JOIN LATERAL (
    SELECT id, tf, norm FROM ${sql.raw(names.postings)}
    WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND term = q.term
    OFFSET 0
  ) p
  GROUP BY p.id
  ${limitScored}
),
matches AS (
  SELECT ${table.id} AS id, ${table.text} AS text, ${table.metadata} AS metadata, scored.score
  FROM scored JOIN ${table} ON ${table.workspaceId} = ${workspaceId} AND ${table.userScope} = ${userScope} AND ${table.id} = scored.id
  ${filter === undefined ? sql`` : sql`WHERE ${filter}`}
  ORDER BY scored.score DESC, scored.id COLLATE "C"
  LIMIT ${request.topK}
)
SELECT row_number() OVER (ORDER BY score DESC, id COLLATE "C") AS position, id, text, metadata, score,
  NULL::text AS term, NULL::integer AS df, NULL::double precision AS document_count
FROM matches
UNION ALL
SELECT NULL, NULL, NULL, NULL, weight, term, df, n FROM q`;
}
