export interface LexicalMatch {
  /** Weighted share of the distinct query terms found anywhere in the passage, in [0, 1]. */
  readonly coverage: number;
  /**
   * Weighted share of the distinct query terms found together within one span of `spanTerms` consecutive
   * terms (about a sentence), for the best such span, in [0, 1].
   */
  readonly proximity: number;
  /** Share of the query's consecutive term pairs found side by side in the passage; 1 for the whole query as a phrase. */
  readonly phrase: number;
}

interface Occurrence {
  readonly position: number;
  readonly term: string;
}

/**
 * The best weighted coverage of any span of `spanTerms` consecutive positions, by a sliding window over
 * the query terms' occurrences. Rewarding the terms a span holds, rather than the length of the shortest
 * window holding every matched term, keeps one stray occurrence far away from ruining the score: on
 * SciFact the shortest-window ratio lowered nDCG@10, the span coverage raised it.
 */
function bestSpanWeight(
  occurrences: readonly Occurrence[],
  spanTerms: number,
  termWeight: (term: string) => number,
): number {
  const inSpan = new Map<string, number>();
  let weight = 0;
  let best = 0;
  let start = 0;
  for (const occurrence of occurrences) {
    const seen = inSpan.get(occurrence.term) ?? 0;
    inSpan.set(occurrence.term, seen + 1);
    if (seen === 0) weight += termWeight(occurrence.term);
    while (occurrence.position - occurrences[start]!.position >= spanTerms) {
      const first = occurrences[start]!;
      const left = inSpan.get(first.term)! - 1;
      if (left === 0) {
        inSpan.delete(first.term);
        weight -= termWeight(first.term);
      } else inSpan.set(first.term, left);
      start++;
    }
    best = Math.max(best, weight);
  }
  return best;
}

function pairKey(first: string, second: string): string {
  return `${first}\u0000${second}`;
}

/** How well an analyzed passage matches an analyzed query: coverage, proximity and phrase, each in [0, 1]. */
export function lexicalMatch(
  queryTerms: readonly string[],
  passageTerms: readonly string[],
  options: { readonly termWeight: (term: string) => number; readonly spanTerms: number },
): LexicalMatch {
  const wanted = new Set(queryTerms);
  const occurrences: Occurrence[] = [];
  const present = new Set<string>();
  const adjacentPairs = new Set<string>();
  passageTerms.forEach((term, position) => {
    if (!wanted.has(term)) return;
    occurrences.push({ position, term });
    present.add(term);
    const next = passageTerms[position + 1];
    if (next !== undefined && wanted.has(next)) adjacentPairs.add(pairKey(term, next));
  });

  let totalWeight = 0;
  for (const term of wanted) totalWeight += options.termWeight(term);
  let matchedWeight = 0;
  for (const term of present) matchedWeight += options.termWeight(term);
  const share = (weight: number) => (totalWeight > 0 ? Math.min(1, weight / totalWeight) : 0);

  const queryPairs = new Set<string>();
  for (let index = 0; index + 1 < queryTerms.length; index++) {
    if (queryTerms[index] !== queryTerms[index + 1])
      queryPairs.add(pairKey(queryTerms[index]!, queryTerms[index + 1]!));
  }
  let foundPairs = 0;
  for (const pair of queryPairs) if (adjacentPairs.has(pair)) foundPairs++;

  return {
    coverage: share(matchedWeight),
    proximity: share(bestSpanWeight(occurrences, options.spanTerms, options.termWeight)),
    phrase: queryPairs.size > 0 ? foundPairs / queryPairs.size : 0,
  };
}
