import { bm25InverseDocumentFrequency } from '../keyword/bm25-scoring';

/** A query term as the search statement scored it: its statistics and the weight it computed. */
export interface ScoringTerm {
  readonly term: string;
  /** How often the term occurs in the query. */
  readonly count: number;
  readonly documentFrequency: number;
  readonly documentCount: number;
  /** The weight the statement scored with, as a 32-bit float. */
  readonly weight: number;
}

/** The weight `Bm25Index` gives a query term: its count times its idf, in 32-bit floats. */
export function memoryTermWeight(count: number, documentFrequency: number, documentCount: number): number {
  return Math.fround(count * Math.fround(bm25InverseDocumentFrequency(documentFrequency, documentCount)));
}

/**
 * Whether every weight Postgres scored with is the memory index's, and the memory index's weights when
 * one is not: Postgres takes idf's logarithm from its C library, which may round the last bit of a double
 * differently from V8 and, very rarely, the float it is rounded to.
 */
export function termWeightsAgree(terms: readonly ScoringTerm[]): {
  readonly agree: boolean;
  readonly expected: ReadonlyMap<string, number>;
} {
  const expected = new Map<string, number>();
  let agree = true;
  for (const term of terms) {
    const weight = memoryTermWeight(term.count, term.documentFrequency, term.documentCount);
    expected.set(term.term, weight);
    if (Math.fround(term.weight) !== weight) agree = false;
  }
  return { agree, expected };
}
