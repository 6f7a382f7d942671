import type { RerankCandidate, RerankResult } from '@neptune/core';

/**
 * Results from scores by candidate position: scored candidates first, best first (ties keep the input
 * order), then the unscored ones in input order with score 0, at most `topN` in all.
 */
export function orderByScores(
  candidates: readonly RerankCandidate[],
  scores: ReadonlyMap<number, number>,
  topN: number,
): RerankResult[] {
  const scored = [...scores]
    .filter(([index]) => index >= 0 && index < candidates.length)
    .sort(([indexA, a], [indexB, b]) => b - a || indexA - indexB);
  const results: RerankResult[] = scored.map(([index, score]) => ({
    id: candidates[index]!.id,
    score: Math.min(1, Math.max(0, score)),
  }));
  candidates.forEach((candidate, index) => {
    if (!scores.has(index)) results.push({ id: candidate.id, score: 0 });
  });
  return results.slice(0, topN);
}

/**
 * The candidates in the order they came, for when a reranker cannot run. Their own scores are kept when
 * every one lies in [0, 1] (fused scores do); otherwise the scores fall with rank, from 1 down.
 */
export function inputOrder(candidates: readonly RerankCandidate[], topN: number): RerankResult[] {
  const ownScoresFit = candidates.every(
    (candidate) => candidate.score !== undefined && candidate.score >= 0 && candidate.score <= 1,
  );
  return candidates.slice(0, topN).map((candidate, index) => ({
    id: candidate.id,
    score: ownScoresFit ? candidate.score! : (candidates.length - index) / candidates.length,
  }));
}
