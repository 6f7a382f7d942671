/** One ranked list to fuse: a leg (`vector`, `keyword`) run for one query. */
export interface RankedList {
  /** The leg's name, reported per result. */
  readonly leg: string;
  /** How much this list counts. The plan's default: vector 0.7, keyword 0.3. */
  readonly weight: number;
  /** Best first. */
  readonly results: ReadonlyArray<{ readonly id: string; readonly score: number }>;
}

/** Where one leg ranked a result, and the leg's raw score for it. */
export interface LegHit {
  /** 1-based rank in that leg's list. */
  readonly rank: number;
  readonly score: number;
}

/** A result of fusing the legs' ranked lists: its fused score and how each leg ranked it. */
export interface FusedResult {
  readonly id: string;
  readonly score: number;
  /** Rank and raw score in each leg that found the result (the best across queries, for expansion). */
  readonly legs: Readonly<Record<string, LegHit>>;
}

function recordLeg(legs: Record<string, LegHit>, leg: string, hit: LegHit): void {
  const known = legs[leg];
  if (known === undefined || hit.rank < known.rank) legs[leg] = hit;
}

function sortFused(scores: Map<string, { score: number; legs: Record<string, LegHit> }>): FusedResult[] {
  return [...scores.entries()]
    .map(([id, value]) => ({ id, score: value.score, legs: value.legs }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/**
 * Weighted reciprocal rank fusion, keyed on ids (never on text, so two chunks with equal text stay two):
 * score = Σ weight / (k + rank). Uses only ranks, so legs whose scores live on different scales (cosine,
 * BM25) combine without calibration. Ties break on id, so the output is deterministic.
 */
export function reciprocalRankFusion(
  lists: readonly RankedList[],
  options: { k?: number } = {},
): FusedResult[] {
  const k = options.k ?? 60;
  const scores = new Map<string, { score: number; legs: Record<string, LegHit> }>();
  for (const list of lists) {
    list.results.forEach((result, index) => {
      const entry = scores.get(result.id) ?? { score: 0, legs: {} };
      entry.score += list.weight / (k + index + 1);
      recordLeg(entry.legs, list.leg, { rank: index + 1, score: result.score });
      scores.set(result.id, entry);
    });
  }
  return sortFused(scores);
}

/**
 * Score fusion: each list's scores min-max normalised to [0, 1], then weighted and summed. Keeps how much
 * better the best hit is than the rest, which RRF forgets; sensitive to outliers, hence not the default.
 */
export function normalizedScoreFusion(lists: readonly RankedList[]): FusedResult[] {
  const scores = new Map<string, { score: number; legs: Record<string, LegHit> }>();
  for (const list of lists) {
    if (list.results.length === 0) continue;
    const values = list.results.map((result) => result.score);
    const low = Math.min(...values);
    const span = Math.max(...values) - low;
    list.results.forEach((result, index) => {
      const entry = scores.get(result.id) ?? { score: 0, legs: {} };
      entry.score += list.weight * (span === 0 ? 1 : (result.score - low) / span);
      recordLeg(entry.legs, list.leg, { rank: index + 1, score: result.score });
      scores.set(result.id, entry);
    });
  }
  return sortFused(scores);
}
