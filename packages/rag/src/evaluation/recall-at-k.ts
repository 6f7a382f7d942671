import { parseCutoff } from './cutoff-schema';
import { meanOverQueries } from './mean-over-queries';
import type { Judgments, Qrels, Run } from './qrels';

/** Share of the relevant documents (judgment above 0) found in the top k. 0 when none is relevant. */
export function recallAtK(ranking: readonly string[], judgments: Judgments, k: number): number {
  const cutoff = parseCutoff(k, 'recallAtK');
  let relevant = 0;
  for (const relevance of judgments.values()) if (relevance > 0) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  for (const id of new Set(ranking.slice(0, cutoff))) if ((judgments.get(id) ?? 0) > 0) found++;
  return found / relevant;
}

/** Recall@k averaged over the queries of the qrels (`trec_eval -c -m recall.k`). */
export function meanRecallAtK(run: Run, qrels: Qrels, k: number): number {
  parseCutoff(k, 'meanRecallAtK');
  return meanOverQueries(run, qrels, (ranking, judgments) => recallAtK(ranking, judgments, k));
}
