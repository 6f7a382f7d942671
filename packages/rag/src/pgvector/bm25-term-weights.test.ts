import { describe, expect, it } from 'vitest';
import { bm25InverseDocumentFrequency } from '../keyword/bm25-scoring';
import { memoryTermWeight, type ScoringTerm, termWeightsAgree } from './bm25-term-weights';

/** The next 32-bit float above a positive float: what a different last bit of a logarithm can give. */
function nextFloatUp(value: number): number {
  const bits = new Float32Array([value]);
  const integers = new Uint32Array(bits.buffer);
  integers[0]! += 1;
  return bits[0]!;
}

const term = (name: string, count: number, documentFrequency: number, weight?: number): ScoringTerm => ({
  term: name,
  count,
  documentFrequency,
  documentCount: 5183,
  weight: weight ?? memoryTermWeight(count, documentFrequency, 5183),
});

describe('termWeightsAgree', () => {
  it('the memory weight is count times idf, each rounded to a 32-bit float', () => {
    const idf = Math.fround(bm25InverseDocumentFrequency(12, 5183));
    expect(memoryTermWeight(2, 12, 5183)).toBe(Math.fround(2 * idf));
  });

  it('agrees when Postgres scored with the memory index weights', () => {
    const check = termWeightsAgree([term('cell', 1, 900), term('epitop', 2, 11)]);
    expect(check.agree).toBe(true);
  });

  it('refuses a weight one float apart and gives the memory index weights to score with instead', () => {
    const exact = memoryTermWeight(1, 11, 5183);
    const check = termWeightsAgree([term('cell', 1, 900), term('epitop', 1, 11, nextFloatUp(exact))]);
    expect(check.agree).toBe(false);
    expect(check.expected.get('epitop')).toBe(exact);
    expect(check.expected.get('cell')).toBe(memoryTermWeight(1, 900, 5183));
  });
});
