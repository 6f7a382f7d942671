/** How much each feedback document counts, by its 1-based rank among the feedback. */
export type FeedbackWeighting = 'uniform' | 'reciprocal-rank' | 'log-rank';

/**
 * The weight of the document at `rank`. RM3 weighs each feedback document by its query likelihood; the
 * expander receives passages without scores, so their rank stands in for it.
 */
export function feedbackDocumentWeight(rank: number, weighting: FeedbackWeighting): number {
  if (weighting === 'uniform') return 1;
  if (weighting === 'reciprocal-rank') return 1 / rank;
  return 1 / Math.log2(rank + 1);
}

/**
 * Like Anserini, keeps expansion terms of 2 to 20 letters and digits: shorter ones are noise, longer ones
 * usually identifiers or broken tokens. Unlike it, also drops terms without a letter: numbers in passages
 * (sample sizes, years, "95" of "95% CI") describe those passages, not the topic.
 */
export function isExpansionCandidate(term: string): boolean {
  const length = [...term].length;
  return length >= 2 && length <= 20 && /^[\p{L}\p{N}]+$/u.test(term) && /\p{L}/u.test(term);
}

/**
 * The relevance model of RM1: p(w | R) ∝ Σ_D weight(D) · tf(w, D) / |D| over the feedback documents,
 * each document's term frequencies normalised to sum to one (so a long document does not dominate) and
 * the result normalised to sum to one. Only terms passing `keep` take part.
 */
export function relevanceModel(
  documents: readonly (readonly string[])[],
  documentWeights: readonly number[],
  keep: (term: string) => boolean,
): Map<string, number> {
  const model = new Map<string, number>();
  let total = 0;
  documents.forEach((terms, index) => {
    const weight = documentWeights[index] ?? 0;
    const frequencies = new Map<string, number>();
    let length = 0;
    for (const term of terms) {
      if (!keep(term)) continue;
      frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      length++;
    }
    if (length === 0 || weight <= 0) return;
    for (const [term, frequency] of frequencies) {
      const share = (weight * frequency) / length;
      model.set(term, (model.get(term) ?? 0) + share);
      total += share;
    }
  });
  if (total > 0) for (const [term, weight] of model) model.set(term, weight / total);
  return model;
}

/** The `count` heaviest terms, renormalised to sum to one; ties go to the first term in code-point order. */
export function topTerms(model: ReadonlyMap<string, number>, count: number): Map<string, number> {
  const kept = [...model]
    .sort(([termA, a], [termB, b]) => b - a || (termA < termB ? -1 : termA > termB ? 1 : 0))
    .slice(0, count);
  const total = kept.reduce((sum, [, weight]) => sum + weight, 0);
  return new Map(kept.map(([term, weight]) => [term, total > 0 ? weight / total : 0]));
}
