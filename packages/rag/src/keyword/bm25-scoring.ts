import { decodeLengthNorm } from './lucene-length-norm';

/**
 * BM25 as Lucene 8+ computes it (`BM25Similarity`), which Anserini's baselines use:
 *
 *   score(term, doc) = weight · tf / (tf + k1 · (1 − b + b · dl / avgdl)),   weight = queryCount · idf
 *   idf = ln(1 + (N − df + 0.5) / (df + 0.5))
 *
 * Lucene dropped the classic (k1 + 1) factor from the numerator: it scales every score alike, so
 * rankings are unchanged. N counts documents with at least one term, as Lucene's `docCount` does.
 */

/** Inverse document frequency; always positive, so a matching term never lowers a score. */
export function bm25InverseDocumentFrequency(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Lucene precomputes 1 / (k1 · (1 − b + b · dl / avgdl)) for the 256 possible one-byte norms, in 32-bit
 * floats. Recomputed only when the average length changes, never per document.
 */
export function luceneNormInverseTable(k1: number, b: number, averageLength: number): Float32Array {
  const table = new Float32Array(256);
  const k1Float = Math.fround(k1);
  const bFloat = Math.fround(b);
  const oneMinusB = Math.fround(1 - bFloat);
  for (let norm = 0; norm < 256; norm++) {
    const relativeLength = Math.fround(Math.fround(bFloat * decodeLengthNorm(norm)) / averageLength);
    table[norm] = Math.fround(1 / Math.fround(k1Float * Math.fround(oneMinusB + relativeLength)));
  }
  return table;
}

/**
 * One term's score in a document, with Lucene's float rounding at each step (written as
 * weight − weight / (1 + tf · normInverse), Lucene's monotonic form of weight · tf / (tf + norm)).
 */
export function luceneTermScore(weight: number, frequency: number, normInverse: number): number {
  return Math.fround(weight - Math.fround(weight / Math.fround(1 + Math.fround(frequency * normInverse))));
}

/** The same score in double precision with the exact document length, for `luceneCompatible: false`. */
export function exactTermScore(
  weight: number,
  frequency: number,
  length: number,
  averageLength: number,
  k1: number,
  b: number,
): number {
  return (weight * frequency) / (frequency + k1 * (1 - b + (b * length) / averageLength));
}
