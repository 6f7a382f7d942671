import { describe, expect, it } from 'vitest';
import { mrrAtK, reciprocalRankAtK } from './mrr-at-k';

describe('mrrAtK', () => {
  const judgments = new Map([
    ['a', 1],
    ['n', 0],
  ]);

  it('is one over the rank of the first relevant document', () => {
    expect(reciprocalRankAtK(['x', 'n', 'a'], judgments, 10)).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRankAtK(['a'], judgments, 10)).toBe(1);
  });

  it('is 0 when the first relevant document is beyond k', () => {
    expect(reciprocalRankAtK(['x', 'n', 'a'], judgments, 2)).toBe(0);
  });

  it('averages over judged queries', () => {
    const qrels = new Map([
      ['q1', judgments],
      ['q2', judgments],
    ]);
    const run = new Map([
      ['q1', ['a']],
      ['q2', ['x', 'a']],
    ]);
    expect(mrrAtK(run, qrels, 10)).toBeCloseTo(0.75, 10);
  });
});
