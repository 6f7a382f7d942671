export interface WeightedQueryTextInput {
  /** The original query, repeated verbatim so that its terms analyse exactly as the user wrote them. */
  readonly query: string;
  /** The analyzed terms of the query, repeats included. */
  readonly queryTerms: readonly string[];
  /** Expansion term weights, summing to one. */
  readonly expansion: ReadonlyMap<string, number>;
  /** α in α · p(w | Q) + (1 − α) · p(w | R). */
  readonly originalQueryWeight: number;
  /** About how many repetitions the weights are spread over; more keeps small weights apart. */
  readonly resolution: number;
  /** A word that analyses to exactly the term, or `undefined` when there is none. */
  readonly surfaceFormOf: (term: string) => string | undefined;
}

export interface WeightedQueryText {
  readonly text: string;
  /** How often each term occurs in `text`, once analysed. */
  readonly termCounts: Map<string, number>;
  /** Words added after the repeated query; 0 when the feedback taught nothing. */
  readonly addedWords: number;
}

/**
 * Writes interpolated term weights as one query string. The keyword index weighs a query term by how often
 * it occurs in the query (Lucene/Anserini BM25: weight = count · idf), so repetition is the weight: the
 * original query is written N times, carrying α · p(w | Q), and each expansion term as often as its share of
 * (1 − α) · p(w | R) asks, rounded. No expansion term is written more often than the least frequent query
 * term, so the user's own words always weigh the most and expansion cannot drift away from the question.
 */
export function weightedQueryText(input: WeightedQueryTextInput): WeightedQueryText {
  const alpha = input.originalQueryWeight;
  const queryLength = input.queryTerms.length;
  const repeats = Math.max(1, Math.ceil((input.resolution * alpha) / queryLength));
  // Repetitions per unit of weight, chosen so that the query's share comes out as a whole number of copies.
  const scale = (repeats * queryLength) / alpha;

  const termCounts = new Map<string, number>();
  for (const term of input.queryTerms) termCounts.set(term, (termCounts.get(term) ?? 0) + repeats);
  const leastQueryCount = Math.min(...termCounts.values());

  const additions: Array<{ word: string; count: number; weight: number }> = [];
  for (const [term, weight] of input.expansion) {
    const inQuery = termCounts.has(term);
    let count = Math.round(scale * (1 - alpha) * weight);
    if (!inQuery) count = Math.min(count, leastQueryCount);
    if (count <= 0) continue;
    const word = input.surfaceFormOf(term);
    if (word === undefined) continue;
    additions.push({ word, count, weight });
    termCounts.set(term, (termCounts.get(term) ?? 0) + count);
  }
  additions.sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));

  const parts: string[] = Array.from({ length: repeats }, () => input.query.trim());
  for (const { word, count } of additions) for (let index = 0; index < count; index++) parts.push(word);
  return { text: parts.join(' '), termCounts, addedWords: parts.length - repeats };
}
