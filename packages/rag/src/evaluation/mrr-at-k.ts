import { parseCutoff } from './cutoff-schema';
import { meanOverQueries } from './mean-over-queries';
import type { Judgments, Qrels, Run } from './qrels';

/** Reciprocal rank of the first relevant document (judgment above 0) in the top k; 0 if there is none. */
export function reciprocalRankAtK(ranking: readonly string[], judgments: Judgments, k: number): number {
  const cutoff = parseCutoff(k, 'reciprocalRankAtK');
  const limit = Math.min(cutoff, ranking.length);
  for (let index = 0; index < limit; index++) {
    if ((judgments.get(ranking[index]!) ?? 0) > 0) return 1 / (index + 1);
  }
  return 0;
}

/** Mean reciprocal rank at k over the queries of the qrels (`trec_eval -c -m recip_rank` with a cutoff). */
export function mrrAtK(run: Run, qrels: Qrels, k: number): number {
  parseCutoff(k, 'mrrAtK');
  return meanOverQueries(run, qrels, (ranking, judgments) => reciprocalRankAtK(ranking, judgments, k));
}
