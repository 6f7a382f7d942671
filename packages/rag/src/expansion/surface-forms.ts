import type { Analyzer } from '../analysis/analyzer';

/** Whitespace-separated words with punctuation trimmed from their ends, and the letter-digit runs inside them. */
function candidateWords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(/\s+/u)) {
    const word = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (word === '') continue;
    words.push(word);
    const runs = word.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (runs.length > 1) words.push(...runs);
  }
  return words;
}

/**
 * Maps analyzed terms back to words of the texts they came from. A term such as a Porter stem is not
 * always stable under a second analysis ("diseas" stems to "disea"), so an expanded query must carry a
 * word that the analyzer turns into exactly that term ("disease"). For each term, the most frequent such
 * word is kept (ties: the shorter, then the first in code-point order, so the choice is deterministic).
 */
export function surfaceForms(texts: readonly string[], analyzer: Analyzer): Map<string, string> {
  const analyzed = new Map<string, string[]>();
  const counts = new Map<string, Map<string, number>>();
  for (const text of texts) {
    for (const word of candidateWords(text)) {
      let terms = analyzed.get(word);
      if (terms === undefined) {
        terms = analyzer(word);
        analyzed.set(word, terms);
      }
      const [term] = terms;
      if (terms.length !== 1 || term === undefined) continue;
      const forms = counts.get(term) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      counts.set(term, forms);
    }
  }
  const chosen = new Map<string, string>();
  for (const [term, forms] of counts) {
    const [best] = [...forms].sort(
      ([a, countA], [b, countB]) => countB - countA || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0),
    );
    if (best !== undefined) chosen.set(term, best[0]);
  }
  return chosen;
}

/** A word the analyzer turns into exactly `term`: a surface form from the texts, else the term itself if stable. */
export function surfaceFormOf(
  term: string,
  forms: ReadonlyMap<string, string>,
  analyzer: Analyzer,
): string | undefined {
  const form = forms.get(term);
  if (form !== undefined) return form;
  const again = analyzer(term);
  return again.length === 1 && again[0] === term ? term : undefined;
}
