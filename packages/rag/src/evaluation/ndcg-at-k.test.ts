import { ValidationError } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { meanNdcgAtK, ndcgAtK } from './ndcg-at-k';

describe('ndcgAtK', () => {
  const judgments = new Map([
    ['a', 3],
    ['b', 2],
    ['c', 1],
    ['z', 0],
  ]);

  it('is 1 for the ideal ranking', () => {
    expect(ndcgAtK(['a', 'b', 'c'], judgments, 10)).toBe(1);
  });

  it('uses graded gains and a log2(rank + 1) discount', () => {
    // DCG = 1/log2(2) + 0/log2(3) + 3/log2(4) = 1 + 1.5 = 2.5
    // IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.26186 + 0.5 = 4.76186
    expect(ndcgAtK(['c', 'x', 'a'], judgments, 10)).toBeCloseTo(2.5 / (3 + 2 / Math.log2(3) + 0.5), 10);
  });

  it('cuts both the ranking and the ideal ranking at k', () => {
    // DCG@2 = 2/1 + 3/log2(3); IDCG@2 = 3/1 + 2/log2(3)
    expect(ndcgAtK(['b', 'a', 'c'], judgments, 2)).toBeCloseTo(
      (2 + 3 / Math.log2(3)) / (3 + 2 / Math.log2(3)),
      10,
    );
    expect(ndcgAtK(['x', 'y', 'a'], judgments, 2)).toBe(0);
  });

  it('is 0 when nothing is judged relevant', () => {
    expect(ndcgAtK(['a'], new Map([['a', 0]]), 10)).toBe(0);
  });

  it('refuses a cutoff that is not a positive integer', () => {
    expect(() => ndcgAtK(['a'], judgments, 0)).toThrow(ValidationError);
    expect(() => ndcgAtK(['a'], judgments, 2.5)).toThrow(/whole number/);
  });

  it('averages over every judged query, counting queries missing from the run as 0', () => {
    const qrels = new Map([
      ['q1', new Map([['a', 1]])],
      ['q2', new Map([['b', 1]])],
    ]);
    expect(meanNdcgAtK(new Map([['q1', ['a']]]), qrels, 10)).toBe(0.5);
  });
});
