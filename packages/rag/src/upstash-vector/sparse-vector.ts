import type { Analyzer } from '../analysis/analyzer';

export interface SparseVector {
  readonly indices: number[];
  readonly values: number[];
}

/**
 * BM25's term-frequency part, with the constants Upstash's own hosted BM25 model uses (k1 = 1.2,
 * b = 0.75, average length 32 terms), so scores compare with what that model would give. The IDF part
 * is applied by Upstash at query time from the namespace's statistics (`weightingStrategy: 'IDF'`).
 */
const K1 = 1.2;
const B = 0.75;
const AVERAGE_TERMS = 32;
/** Upstash refuses sparse vectors with more than 1,000 non-zero dimensions. */
export const MAX_SPARSE_DIMENSIONS = 1000;
/**
 * Hybrid indexes need a sparse part on every record; a text without terms gets this one dimension,
 * which no term hashes to, so it never matches a query.
 */
const NO_TERMS_INDEX = 0;

/** FNV-1a over the term's UTF-16 code units, folded into 1..2^31-1 (Upstash indices are signed 32-bit). */
function termIndex(term: string): number {
  let hash = 0x811c9dc5;
  for (let position = 0; position < term.length; position++) {
    hash ^= term.charCodeAt(position);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % 0x7ffffffe) + 1;
}

function countTerms(terms: readonly string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const term of terms) {
    const index = termIndex(term);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return counts;
}

function sorted(entries: [number, number][]): SparseVector {
  entries.sort((a, b) => a[0] - b[0]);
  return { indices: entries.map(([index]) => index), values: entries.map(([, value]) => value) };
}

/** A document's sparse vector: one dimension per distinct term, weighted by saturated, length-normalised frequency. */
export function documentSparseVector(text: string, analyzer: Analyzer): SparseVector {
  const terms = analyzer(text);
  if (terms.length === 0) return { indices: [NO_TERMS_INDEX], values: [1] };
  const lengthNorm = K1 * (1 - B + (B * terms.length) / AVERAGE_TERMS);
  const weighted = [...countTerms(terms)].map(([index, frequency]): [number, number] => [
    index,
    (frequency * (K1 + 1)) / (frequency + lengthNorm),
  ]);
  // A very long text keeps its most frequent terms (rarer ones first to go, then the higher index).
  weighted.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return sorted(weighted.slice(0, MAX_SPARSE_DIMENSIONS));
}

/** A query's sparse vector (each distinct term once, weight 1), or undefined when it has no terms. */
export function querySparseVector(query: string, analyzer: Analyzer): SparseVector | undefined {
  const terms = analyzer(query);
  if (terms.length === 0) return undefined;
  return sorted(
    [...countTerms(terms).keys()]
      .slice(0, MAX_SPARSE_DIMENSIONS)
      .map((index): [number, number] => [index, 1]),
  );
}
