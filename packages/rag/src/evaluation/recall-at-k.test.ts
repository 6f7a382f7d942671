import { describe, expect, it } from 'vitest';
import { meanRecallAtK, recallAtK } from './recall-at-k';

describe('recallAtK', () => {
  const judgments = new Map([
    ['a', 1],
    ['b', 2],
    ['c', 1],
    ['n', 0],
  ]);

  it('is the share of relevant documents found in the top k', () => {
    expect(recallAtK(['a', 'n', 'x', 'b'], judgments, 10)).toBeCloseTo(2 / 3, 10);
    expect(recallAtK(['a', 'n', 'x', 'b'], judgments, 3)).toBeCloseTo(1 / 3, 10);
  });

  it('does not count a document twice or judged non-relevant ones', () => {
    expect(recallAtK(['a', 'a', 'n'], judgments, 10)).toBeCloseTo(1 / 3, 10);
  });

  it('is 0 when the query has no relevant documents', () => {
    expect(recallAtK(['n'], new Map([['n', 0]]), 10)).toBe(0);
  });

  it('averages over judged queries', () => {
    const qrels = new Map([
      ['q1', new Map([['a', 1]])],
      [
        'q2',
        new Map([
          ['b', 1],
          ['c', 1],
        ]),
      ],
    ]);
    const run = new Map([
      ['q1', ['a']],
      ['q2', ['b', 'x']],
    ]);
    expect(meanRecallAtK(run, qrels, 100)).toBeCloseTo(0.75, 10);
  });
});
