import type { KeywordMatch, Metadata, MetadataFilter, ScopeKeys } from '@neptune/core';
import type { QueryRunner } from '@neptune/core/postgres/drizzle';
import { type SQL, sql } from 'drizzle-orm';
import { englishAnalyzer } from '../analysis/english-analyzer';
import { luceneNormInverseTable } from '../keyword/bm25-scoring';
import { decodeLengthNorm } from '../keyword/lucene-length-norm';
import type { Bm25TableNames } from './bm25-tables';
import { memoryTermWeight, type ScoringTerm, termWeightsAgree } from './bm25-term-weights';
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
  /** The scope's average chunk length, as the float the statement computed it (`real`). */
  readonly average_length: number | string | null;
}

export interface Bm25SearchRequest {
  readonly runner: QueryRunner;
  readonly names: Bm25TableNames;
  readonly table: KeywordChunkTable;
  readonly keys: ScopeKeys;
  readonly query: string;
  readonly topK: number;
  readonly filter?: MetadataFilter | undefined;
  /** MaxScore for searches without a filter: 'auto' (default) above `AUTO_PRUNING_POSTINGS`, 'always', 'never'. */
  readonly pruning?: KeywordPruning | undefined;
}

/** When a keyword search on Postgres prunes: as `memoryKeywordIndex`'s `pruning` option. */
export type KeywordPruning = 'auto' | 'always' | 'never';

/** 'auto' prunes once the query's terms hold more postings than this (the memory index's threshold). */
export const AUTO_PRUNING_POSTINGS = 20_000;
/** The first pruned attempt scans the highest-weight terms while their postings stay within this. */
const ESSENTIAL_POSTINGS = 10_000;
/**
 * Widening of upper bounds against float rounding (the memory MaxScore's): a chunk is left out only when
 * its bound, so widened, is still under the threshold.
 */
const SLACK = 1 + 1e-6;
/**
 * What looking up one chunk's posting of one term by key costs, in postings scanned and aggregated:
 * candidates are scored by key lookups while that is cheaper than scanning all the terms' postings.
 */
const KEY_LOOKUP_COST = 6;

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
  const pruning = request.pruning ?? 'auto';
  if (request.filter !== undefined || pruning === 'never') return plainSearch(request, counts, undefined);
  if (pruning === 'auto') {
    // One round trip while the terms' postings are few (a SciFact-sized scope): the plain statement,
    // which scores only when they are at most the threshold and otherwise returns just the statistics
    // the pruned search starts from.
    const rows = await runSearch(request, counts, undefined, AUTO_PRUNING_POSTINGS);
    const statistics = statisticsOf(rows, counts);
    if (statistics === undefined || statistics.terms.length === 0) return [];
    const postings = statistics.terms.reduce((sum, term) => sum + term.documentFrequency, 0);
    if (postings <= AUTO_PRUNING_POSTINGS) return plainSearch(request, counts, undefined, rows);
    return prunedSearch(request, counts, { ...statistics, postings });
  }
  const statistics = await readStatistics(request, counts);
  if (statistics === undefined || statistics.terms.length === 0) return [];
  const postings = statistics.terms.reduce((sum, term) => sum + term.documentFrequency, 0);
  return prunedSearch(request, counts, { ...statistics, postings });
}

/** The scope's statistics for a query's terms, read before a pruned search. */
interface QueryStatistics {
  readonly documentCount: number;
  /** The average chunk length, rounded to float as `Bm25Index` computes it. */
  readonly averageLength: number;
  /** The terms some chunk holds, in query order, with the memory index's weights. */
  readonly terms: readonly (ScoringTerm & { readonly position: number })[];
}

async function readStatistics(
  request: Bm25SearchRequest,
  counts: ReadonlyMap<string, number>,
): Promise<QueryStatistics | undefined> {
  const { runner, names, keys } = request;
  const workspaceId = keys.filter.workspaceId;
  const userScope = userScopeOf(keys);
  const terms = JSON.stringify([...counts.keys()]);
  const statement = sql`SELECT NULL::text AS term, doc_count::double precision AS n, total_length::double precision AS total
FROM ${sql.raw(names.scopes)} WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND doc_count > 0
UNION ALL
SELECT term, df::double precision, NULL FROM ${sql.raw(names.documentFrequencies)}
WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND df > 0
  AND term = ANY(ARRAY(SELECT json_array_elements_text(${terms}::json)))`;
  const rows = resultRows<{ term: string | null; n: number | string; total: number | string | null }>(
    await runner.run('searchStatistics', keys, () => runner.db.execute(statement)),
  );
  const scope = rows.find((row) => row.term === null);
  if (scope === undefined) return undefined;
  const documentCount = Number(scope.n);
  const frequencies = new Map(rows.flatMap((row) => (row.term === null ? [] : [[row.term, Number(row.n)]])));
  return {
    documentCount,
    averageLength: Math.fround(Number(scope.total) / documentCount),
    terms: termsInQueryOrder(counts, frequencies, documentCount),
  };
}

/** The statistics the plain statement returned beside its matches (its rows with `term` set). */
function statisticsOf(
  rows: readonly SearchRow[],
  counts: ReadonlyMap<string, number>,
): QueryStatistics | undefined {
  const termRows = rows.filter((row) => row.term !== null);
  const first = termRows[0];
  if (first === undefined) return undefined;
  const documentCount = Number(first.document_count);
  const frequencies = new Map(termRows.map((row) => [row.term!, Number(row.df)]));
  return {
    documentCount,
    averageLength: Math.fround(Number(first.average_length)),
    terms: termsInQueryOrder(counts, frequencies, documentCount),
  };
}

function termsInQueryOrder(
  counts: ReadonlyMap<string, number>,
  frequencies: ReadonlyMap<string, number>,
  documentCount: number,
): QueryStatistics['terms'] {
  return [...counts].flatMap(([term, count], position) => {
    const documentFrequency = frequencies.get(term);
    if (documentFrequency === undefined) return [];
    const weight = memoryTermWeight(count, documentFrequency, documentCount);
    return [{ term, count, documentFrequency, documentCount, weight, position }];
  });
}

/**
 * MaxScore (Turtle and Flood, 1995) across round trips. A term's weight bounds what it adds to any
 * chunk's score (Lucene's `w − w / (1 + tf · normInverse)` is under `w`). Terms are ranked by weight,
 * highest first; the first few are "essential", the rest's weights sum to `rest`. One statement then
 * scores only the chunks in the essential terms' postings: a partial score over those terms, the best
 * `topK` by it scored in full (the other terms' postings looked up by primary key for just those
 * chunks), the weakest of them a threshold θ that the true k-th score is at least, and every candidate
 * whose partial score plus `rest` reaches θ scored in full too. A chunk outside the essential postings
 * scores at most `rest`, so if `rest` is under θ the answer is exact (ties included: such a chunk scores
 * strictly less than the k-th); otherwise the next term becomes essential and the search runs again,
 * down to the plain statement when all are. Full scores sum the terms in query order, as the memory
 * index does, with the same weights (computed here) and norm table.
 */
async function prunedSearch(
  request: Bm25SearchRequest,
  counts: ReadonlyMap<string, number>,
  statistics: QueryStatistics & { readonly postings: number },
): Promise<KeywordMatch[]> {
  const ranked = [...statistics.terms].sort(
    (a, b) => b.weight - a.weight || a.documentFrequency - b.documentFrequency || a.position - b.position,
  );
  // The first attempt scans the best-weighted term and the next ones while their postings stay small,
  // both absolutely and beside the query's total (a small corpus has only small postings).
  const budget = Math.min(ESSENTIAL_POSTINGS, statistics.postings / 4);
  let essential = 1;
  let scanned = ranked[0]!.documentFrequency;
  // θ needs topK candidates: fewer postings than that cannot settle the search.
  while (
    essential < ranked.length &&
    (scanned < request.topK || scanned + ranked[essential]!.documentFrequency <= budget)
  ) {
    scanned += ranked[essential]!.documentFrequency;
    essential++;
  }
  const inverse = luceneNormInverseTable(BM25_K1, BM25_B, statistics.averageLength);
  for (; essential < ranked.length; essential++) {
    // Once the essential postings are a third of all, pruning saves too little to pay for its extra work.
    if (pruningPays(ranked.slice(0, essential), statistics.postings) === false) break;
    let rest = 0;
    for (const term of ranked.slice(essential)) rest += term.weight;
    const essentialTerms = new Set(ranked.slice(0, essential).map((term) => term.term));
    const rows = resultRows<PrunedRow>(
      await request.runner.run(
        'searchPruned',
        request.keys,
        () => request.runner.db.execute(prunedStatement(request, statistics, essentialTerms, rest, inverse)),
        (result) => resultRows<PrunedRow>(result).filter((row) => row.position !== null).length,
      ),
    );
    const summary = rows.find((row) => row.position === null);
    const threshold = summary?.threshold;
    if (threshold !== null && threshold !== undefined && rest * SLACK < Number(threshold)) {
      // Exact; unless so many candidates could reach θ that looking each up by key would cost more than
      // the plain scan, which the statement then skipped.
      if (Number(summary?.reaching) * KEY_LOOKUP_COST * statistics.terms.length > statistics.postings) break;
      return matchesOf(rows.map((row) => ({ ...row, score: row.score ?? 0 })));
    }
  }
  const weights = new Map(statistics.terms.map((term) => [term.term, term.weight]));
  return plainSearch(request, counts, weights);
}

function pruningPays(essential: readonly ScoringTerm[], postings: number): boolean {
  const scanned = essential.reduce((sum, term) => sum + term.documentFrequency, 0);
  return scanned * 3 <= postings;
}

/** A row of the pruned statement: a match (`position` set) or the threshold θ (`position` null). */
interface PrunedRow {
  readonly position: number | string | null;
  readonly id: string | null;
  readonly text: string | null;
  readonly metadata: Metadata | null;
  readonly score: number | string | null;
  readonly threshold: number | string | null;
  readonly reaching: number | string | null;
}

function prunedStatement(
  request: Bm25SearchRequest,
  statistics: QueryStatistics & { readonly postings: number },
  essentialTerms: ReadonlySet<string>,
  rest: number,
  inverse: Float32Array,
): SQL {
  const { names, keys, table } = request;
  const workspaceId = keys.filter.workspaceId;
  const userScope = userScopeOf(keys);
  const postings = sql.raw(names.postings);
  const terms = JSON.stringify(
    statistics.terms.map((term) => ({
      term: term.term,
      position: term.position,
      weight: term.weight,
      essential: essentialTerms.has(term.term),
    })),
  );
  const normInverse = `{${Array.from(inverse).join(',')}}`;
  const termScore = sql`(q.weight - q.weight / (1::real + p.tf::real * n.inverse[p.norm + 1]))::double precision`;
  // A chunk's full score: each query term's posting for it, looked up by key, summed in query order
  // (OFFSET 0 keeps the planner from turning the lookups into a scan of every posting of the terms).
  const fullScores = (
    candidates: string,
  ) => sql`SELECT c.id, sum(${termScore} ORDER BY q.position)::real AS score
  FROM ${sql.raw(candidates)} c CROSS JOIN q$ q CROSS JOIN n$ n CROSS JOIN LATERAL (
    SELECT tf, norm FROM ${postings}
    WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND term = q.term AND id = c.id
    OFFSET 0
  ) p
  GROUP BY c.id`;
  return sql`WITH q$ AS (
  SELECT * FROM json_to_recordset(${terms}::json) AS q(term text, position integer, weight real, essential boolean)
),
n$ AS (SELECT ${normInverse}::real[] AS inverse),
candidates$ AS (
  SELECT p.id, sum(${termScore}) AS partial
  FROM q$ q CROSS JOIN n$ n CROSS JOIN LATERAL (
    SELECT id, tf, norm FROM ${postings}
    WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND term = q.term
    OFFSET 0
  ) p
  WHERE q.essential
  GROUP BY p.id
),
seeds$ AS (SELECT id FROM candidates$ ORDER BY partial DESC, id COLLATE "C" LIMIT ${request.topK}),
seeded$ AS (${fullScores('seeds$')}),
theta$ AS (
  SELECT CASE WHEN count(*) = ${request.topK} THEN min(score) END AS threshold FROM seeded$
),
reaching$ AS (
  SELECT candidates.id FROM candidates$ candidates CROSS JOIN theta$ theta
  WHERE theta.threshold IS NULL OR (candidates.partial + ${rest}::double precision) * ${SLACK}::double precision >= theta.threshold
),
reach$ AS (SELECT count(*) AS chunks FROM reaching$),
by_key$ AS (${fullScores('reaching$')}),
scored$ AS (
  SELECT id, score FROM by_key$ WHERE (SELECT chunks FROM reach$) * ${KEY_LOOKUP_COST * statistics.terms.length} <= ${statistics.postings}
  ORDER BY score DESC, id COLLATE "C" LIMIT ${request.topK}
),
matches$ AS (
  SELECT ${table.id} AS id, ${table.text} AS text, ${table.metadata} AS metadata, scored$.score
  FROM scored$ JOIN ${table} ON ${table.workspaceId} = ${workspaceId} AND ${table.userScope} = ${userScope} AND ${table.id} = scored$.id
)
SELECT row_number() OVER (ORDER BY score DESC, id COLLATE "C") AS position, id, text, metadata, score,
  NULL::real AS threshold, NULL::bigint AS reaching
FROM matches$
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, threshold, (SELECT chunks FROM reach$) FROM theta$`;
}

async function plainSearch(
  request: Bm25SearchRequest,
  counts: ReadonlyMap<string, number>,
  given: ReadonlyMap<string, number> | undefined,
  firstRows?: readonly SearchRow[],
): Promise<KeywordMatch[]> {
  let weights = given;
  // A concurrent write between two attempts can change the statistics again; three attempts settle it.
  for (let attempt = 1; ; attempt++) {
    const rows =
      attempt === 1 && firstRows !== undefined ? firstRows : await runSearch(request, counts, weights);
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

function matchesOf(
  rows: readonly Pick<SearchRow, 'position' | 'id' | 'text' | 'metadata' | 'score'>[],
): KeywordMatch[] {
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
  maxPostings?: number,
): Promise<SearchRow[]> {
  const { runner, keys } = request;
  const statement = searchStatement(request, counts, weights, maxPostings);
  return resultRows<SearchRow>(
    await runner.run(
      'search',
      keys,
      () => runner.db.execute(statement),
      (result) => resultRows<SearchRow>(result).filter((row) => row.position !== null).length,
    ),
  );
}

/**
 * The plain statement. With `maxPostings`, it scores only when the query's terms hold at most that many
 * postings (a one-time filter: Postgres then skips the postings scan entirely), and otherwise returns
 * the terms' statistics alone.
 */
function searchStatement(
  request: Bm25SearchRequest,
  counts: ReadonlyMap<string, number>,
  weights: ReadonlyMap<string, number> | undefined,
  maxPostings?: number,
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
  return sql`WITH s$ AS (
  SELECT doc_count::double precision AS n,
    (total_length::double precision / doc_count::double precision)::real AS average_length
  FROM ${sql.raw(names.scopes)} WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND doc_count > 0
),
q$ AS (
  SELECT f.term, f.df, s.n, s.average_length, coalesce(
    (${given}::json ->> f.term)::real,
    c.count::real * ln(1::double precision + (s.n - f.df + 0.5::double precision) / (f.df + 0.5::double precision))::real
  ) AS weight
  FROM s$ s CROSS JOIN json_to_recordset(${query}::json) AS c(term text, count integer)
  JOIN ${sql.raw(names.documentFrequencies)} f
    ON f.workspace_id = ${workspaceId} AND f.user_scope = ${userScope} AND f.term = c.term AND f.df > 0
),
n$ AS (
  SELECT array_agg(
    1::real / (${K1_FLOAT}::real * (${ONE_MINUS_B_FLOAT}::real + (${B_FLOAT}::real * d.length::real) / s.average_length))
    ORDER BY d.norm
  ) AS inverse
  FROM s$ s CROSS JOIN unnest(${DECODED_LENGTHS}::bigint[]) WITH ORDINALITY AS d(length, norm)
),
scored$ AS (
  SELECT p.id, sum((q.weight - q.weight / (1::real + p.tf::real * n.inverse[p.norm + 1]))::double precision)::real AS score
  FROM q$ q CROSS JOIN n$ n CROSS JOIN LATERAL (
    SELECT id, tf, norm FROM ${sql.raw(names.postings)}
    WHERE workspace_id = ${workspaceId} AND user_scope = ${userScope} AND term = q.term
    OFFSET 0
  ) p
  ${maxPostings === undefined ? sql`` : sql`WHERE (SELECT sum(few.df) FROM q$ AS few) <= ${maxPostings}`}
  GROUP BY p.id
  ${limitScored}
),
matches$ AS (
  SELECT ${table.id} AS id, ${table.text} AS text, ${table.metadata} AS metadata, scored$.score
  FROM scored$ JOIN ${table} ON ${table.workspaceId} = ${workspaceId} AND ${table.userScope} = ${userScope} AND ${table.id} = scored$.id
  ${filter === undefined ? sql`` : sql`WHERE ${filter}`}
  ORDER BY scored$.score DESC, scored$.id COLLATE "C"
  LIMIT ${request.topK}
)
SELECT row_number() OVER (ORDER BY score DESC, id COLLATE "C") AS position, id, text, metadata, score,
  NULL::text AS term, NULL::integer AS df, NULL::double precision AS document_count,
  NULL::real AS average_length
FROM matches$
UNION ALL
SELECT NULL, NULL, NULL, NULL, weight, term, df, n, average_length FROM q$`;
}
