import type { Judgments, Qrels, Run } from './qrels';

/**
 * Averages a per-query metric over every query in the qrels, as `trec_eval -c` does: a query the run
 * has no results for counts as 0, and queries the qrels do not judge are ignored. 0 for empty qrels.
 */
export function meanOverQueries(
  run: Run,
  qrels: Qrels,
  metric: (ranking: readonly string[], judgments: Judgments) => number,
): number {
  if (qrels.size === 0) return 0;
  let sum = 0;
  for (const [queryId, judgments] of qrels) sum += metric(run.get(queryId) ?? [], judgments);
  return sum / qrels.size;
}
