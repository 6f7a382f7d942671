import type { KeywordMatch, Metadata, MetadataFilter, ScopeKeys } from '@neptune/core';
import { sql } from 'drizzle-orm';
import { englishAnalyzer } from '../analysis/english-analyzer';
import { bm25InverseDocumentFrequency, luceneNormInverseTable } from '../keyword/bm25-scoring';
import type { Bm25TableNames } from './bm25-tables';
import { resultRows, userScopeOf } from './bm25-writes';
import type { KeywordChunkTable } from './chunk-table';
import { metadataFilterSql } from './metadata-filter-sql';
import type { QueryRunner } from './query-runner';

/** Anserini's BM25 parameters for BEIR, the memory index's defaults. */
export const BM25_K1 = 0.9;
export const BM25_B = 0.4;

interface StatisticsRow {
  readonly doc_count: string | number;
  readonly total_length: string | number;
  readonly term: string | null;
  readonly df: number | null;
}

interface ScoredRow {
  readonly id: string;
  readonly text: string | null;
  readonly metadata: Metadata;
  readonly score: number | string;
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
 * BM25 exactly as `Bm25Index` (and Lucene) scores it, over the scope's statistics tables:
 *
 * 1. the query is analysed here, with the memory index's English analyzer; terms are weighted by count;
 * 2. one query reads the scope's chunk count and total length and the query terms' document frequencies;
 * 3. idf, the query weights and Lucene's 256-entry length-norm table are computed here, with the memory
 *    index's own functions, in the same 32-bit floats;
 * 4. one query scores: each query term's postings range of the `(workspace, scope, term)` key, one
 *    `real` (float4) expression per posting, Lucene's `w − w / (1 + tf · normInverse[norm])` step for
 *    step, summed in double precision and rounded to float as Lucene does, best `topK` by score then id.
 *
 * Postgres does float4 arithmetic in IEEE single precision, as `Math.fround` does, so each term's score is
 * the memory index's bit for bit; only the order of the final double-precision sum may differ (below
 * one float ulp).
 */
export async function searchBm25(request: Bm25SearchRequest): Promise<KeywordMatch[]> {
  const { runner, names, keys, table } = request;
  const counts = new Map<string, number>();
  for (const term of englishAnalyzer(request.query)) counts.set(term, (counts.get(term) ?? 0) + 1);
  if (counts.size === 0) return [];
  const workspaceId = keys.filter.workspaceId;
  const userScope = userScopeOf(keys);

  const statistics = resultRows<StatisticsRow>(
    await runner.run(
      'search.statistics',
      keys,
      () =>
        runner.db.execute(sql`SELECT s.doc_count, s.total_length, f.term, f.df
FROM ${sql.raw(names.scopes)} s
LEFT JOIN ${sql.raw(names.documentFrequencies)} f ON f.workspace_id = s.workspace_id AND f.user_scope = s.user_scope
  AND f.term = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify([...counts.keys()])}::json))) AND f.df > 0
WHERE s.workspace_id = ${workspaceId} AND s.user_scope = ${userScope}`),
      (result) => resultRows(result).length,
    ),
  );
  const documentCount = Number(statistics[0]?.doc_count ?? 0);
  if (documentCount <= 0) return [];
  const averageLength = Math.fround(Number(statistics[0]!.total_length) / documentCount);
  const weights = statistics.flatMap((row) => {
    if (row.term === null || row.df === null) return [];
    const idf = Math.fround(bm25InverseDocumentFrequency(Number(row.df), documentCount));
    return [{ term: row.term, weight: Math.fround(counts.get(row.term)! * idf) }];
  });
  if (weights.length === 0) return [];
  const normInverse = `{${Array.from(luceneNormInverseTable(BM25_K1, BM25_B, averageLength)).join(',')}}`;

  const filter = metadataFilterSql(table.metadata, request.filter);
  // Without a filter the best topK are chosen from the postings alone, and only they are joined to their
  // rows; with one, every scored row is joined so that topK is filled from the rows the filter allows.
  const limitScored =
    filter === undefined ? sql`ORDER BY score DESC, p.id COLLATE "C" LIMIT ${request.topK}` : sql``;
  const rows = resultRows<ScoredRow>(
    await runner.run(
      'search',
      keys,
      () =>
        runner.db.execute(sql`WITH q AS (
  SELECT term, weight FROM json_to_recordset(${JSON.stringify(weights)}::json) AS q(term text, weight real)
),
n AS (SELECT ${normInverse}::real[] AS inverse),
scored AS (
  SELECT p.id, sum((q.weight - q.weight / (1::real + p.tf::real * n.inverse[p.norm + 1]))::double precision)::real AS score
  FROM q CROSS JOIN n CROSS JOIN LATERAL (
    SELECT id, tf, norm FROM ${sql.raw(names.postings)}
    WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND term = q.term
    OFFSET 0
  ) p
  GROUP BY p.id
  ${limitScored}
)
SELECT ${table.id} AS id, ${table.text} AS text, ${table.metadata} AS metadata, scored.score
FROM scored JOIN ${table} ON ${table.workspaceId} = ${workspaceId} AND ${table.userScope} = ${userScope} AND ${table.id} = scored.id
${filter === undefined ? sql`` : sql`WHERE ${filter}`}
ORDER BY scored.score DESC, scored.id COLLATE "C"
LIMIT ${request.topK}`),
      (result) => resultRows(result).length,
    ),
  );
  return rows.map((row) => ({
    id: row.id,
    // Postgres prints the float4 in its shortest form; rounding back to float recovers the exact value.
    score: Math.fround(Number(row.score)),
    text: row.text ?? undefined,
    metadata: row.metadata,
  }));
}
