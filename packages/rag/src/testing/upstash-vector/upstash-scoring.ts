import type { SparseVector, StoredVector } from './upstash-index-state';

export type SimilarityFunction = 'COSINE' | 'EUCLIDEAN' | 'DOT_PRODUCT';

export interface ScoredId {
  readonly id: string;
  readonly score: number;
}

/** Dense scores, normalised to [0, 1] as Upstash documents: higher is closer, whatever the function. */
export function denseScore(
  similarity: SimilarityFunction,
  query: readonly number[],
  stored: readonly number[],
): number {
  let dot = 0;
  let queryNorm = 0;
  let storedNorm = 0;
  let squaredDistance = 0;
  for (let index = 0; index < query.length; index++) {
    const a = query[index]!;
    const b = stored[index]!;
    dot += a * b;
    queryNorm += a * a;
    storedNorm += b * b;
    squaredDistance += (a - b) ** 2;
  }
  if (similarity === 'EUCLIDEAN') return 1 / (1 + squaredDistance);
  if (similarity === 'DOT_PRODUCT') return (1 + dot) / 2;
  const cosine = queryNorm === 0 || storedNorm === 0 ? 0 : dot / Math.sqrt(queryNorm * storedNorm);
  return (1 + cosine) / 2;
}

/**
 * Sparse scores: the inner product over the dimensions the query and a record share; records sharing
 * none are left out. With `IDF` weighting each query dimension is multiplied by the namespace's
 * IDF(q) = ln((N - n(q) + 0.5) / (n(q) + 0.5)), the formula Upstash documents (no "+ 1", so terms in
 * half or more of the records weigh zero or less).
 */
export function sparseScores(
  query: SparseVector,
  candidates: readonly StoredVector[],
  namespace: readonly StoredVector[],
  idf: boolean,
): ScoredId[] {
  const weights = new Map(query.indices.map((index, position) => [index, query.values[position]!]));
  if (idf) {
    const total = namespace.length;
    for (const index of weights.keys()) {
      const containing = namespace.filter((stored) => stored.sparseVector?.indices.includes(index)).length;
      weights.set(index, weights.get(index)! * Math.log((total - containing + 0.5) / (containing + 0.5)));
    }
  }
  const scored: ScoredId[] = [];
  for (const stored of candidates) {
    const sparse = stored.sparseVector;
    if (sparse === undefined) continue;
    let score = 0;
    let shared = false;
    sparse.indices.forEach((index, position) => {
      const weight = weights.get(index);
      if (weight === undefined) return;
      shared = true;
      score += weight * sparse.values[position]!;
    });
    if (shared) scored.push({ id: stored.id, score });
  }
  return scored.sort((a, b) => b.score - a.score);
}

function normalise(ranking: readonly ScoredId[]): ScoredId[] {
  const mean = ranking.reduce((total, item) => total + item.score, 0) / ranking.length;
  const deviation = Math.sqrt(
    ranking.reduce((total, item) => total + (item.score - mean) ** 2, 0) / ranking.length,
  );
  const low = mean - 3 * deviation;
  const span = 6 * deviation;
  return ranking.map((item) => ({ id: item.id, score: span === 0 ? 0.5 : (item.score - low) / span }));
}

/**
 * Fuses a dense and a sparse ranking as hybrid queries do: RRF maps each result to 1 / (rank + 60)
 * (rank from 1) and adds the two; DBSF scales each side's scores by mean ± 3 standard deviations and adds.
 */
export function fuse(
  dense: readonly ScoredId[],
  sparse: readonly ScoredId[],
  algorithm: 'RRF' | 'DBSF',
): ScoredId[] {
  const sides =
    algorithm === 'RRF'
      ? [dense, sparse].map((ranking) =>
          ranking.map((item, rank) => ({ id: item.id, score: 1 / (rank + 1 + 60) })),
        )
      : [dense, sparse].filter((ranking) => ranking.length > 0).map(normalise);
  const totals = new Map<string, number>();
  for (const side of sides)
    for (const item of side) totals.set(item.id, (totals.get(item.id) ?? 0) + item.score);
  return [...totals].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
