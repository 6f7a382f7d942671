import { parseCutoff } from './cutoff-schema';
import { meanOverQueries } from './mean-over-queries';
import type { Judgments, Qrels, Run } from './qrels';

function discountedGain(gains: readonly number[], k: number): number {
  let sum = 0;
  for (let rank = 1; rank <= Math.min(k, gains.length); rank++) sum += gains[rank - 1]! / Math.log2(rank + 1);
  return sum;
}

/**
 * nDCG@k as trec_eval's `ndcg_cut` computes it: the gain of a document is its judged relevance
 * (unjudged and non-positive count 0), discounted by log2(rank + 1); the ideal ranking orders every
 * judged document by relevance. 0 when no document is judged relevant.
 */
export function ndcgAtK(ranking: readonly string[], judgments: Judgments, k: number): number {
  const cutoff = parseCutoff(k, 'ndcgAtK');
  const gainOf = (id: string) => Math.max(0, judgments.get(id) ?? 0);
  const ideal = discountedGain(
    [...judgments.values()].map((relevance) => Math.max(0, relevance)).sort((a, b) => b - a),
    cutoff,
  );
  if (ideal === 0) return 0;
  return discountedGain(ranking.slice(0, cutoff).map(gainOf), cutoff) / ideal;
}

/** nDCG@k averaged over the queries of the qrels (`trec_eval -c -m ndcg_cut.k`). */
export function meanNdcgAtK(run: Run, qrels: Qrels, k: number): number {
  parseCutoff(k, 'meanNdcgAtK');
  return meanOverQueries(run, qrels, (ranking, judgments) => ndcgAtK(ranking, judgments, k));
}
