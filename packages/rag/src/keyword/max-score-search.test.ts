import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardAnalyzer } from '../analysis/english-analyzer';
import { Bm25Index } from './bm25-index';
import { maxScoreSearch } from './max-score-search';
import { PostingList } from './posting-list';
import { TopKHeap } from './top-k-heap';

/** Few words, some far more common than others, so that pruning has lists to skip and ties to break. */
const WORDS = ['a1', 'a1', 'a1', 'a1', 'b2', 'b2', 'b2', 'c3', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8'];
const IDS = Array.from({ length: 40 }, (_, index) => `doc-${index}`);
const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }).map((words) => words.join(' '));
const document = fc.record({
  id: fc.constantFrom(...IDS),
  text,
  metadata: fc.record({ group: fc.constantFrom('x', 'y') }),
});
const operation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ add: fc.array(document, { minLength: 1, maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ remove: fc.array(fc.constantFrom(...IDS), { maxLength: 8 }) }) },
);
const query = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 })
  .map((words) => words.join(' '));

describe('MaxScore pruning in Bm25Index', () => {
  it('returns exactly the top k of a full scan, scores and ties included, after any adds and removes', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 1, maxLength: 10 }),
        fc.array(query, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.constantFrom(undefined, { group: 'x' }),
        (operations, queries, topK, luceneCompatible, filter) => {
          const options = { analyzer: standardAnalyzer, luceneCompatible };
          const pruned = new Bm25Index({ ...options, pruning: 'always' });
          const full = new Bm25Index({ ...options, pruning: 'never' });
          for (const step of operations) {
            for (const index of [pruned, full]) {
              if ('add' in step) index.add(step.add);
              else index.remove(step.remove);
            }
          }
          for (const text of queries) {
            const expected = full.search(text, { topK, filter });
            expect(pruned.search(text, { topK, filter }), text).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prunes: documents holding only a common term are never scored once the top k is out of their reach', () => {
    const common = new PostingList();
    const rare = new PostingList();
    for (let document = 0; document < 2000; document++) common.append(document, 1, 10);
    rare.append(5, 1, 10);
    rare.append(7, 1, 10);
    const alive = new Uint8Array(2000).fill(1);
    const scoredCommon: number[] = [];
    const heap = new TopKHeap(2);
    maxScoreSearch(
      [
        {
          list: common,
          bound: 1,
          score: (_, document) => {
            scoredCommon.push(document);
            return 0.5;
          },
        },
        { list: rare, bound: 5, score: () => 4 },
      ],
      alive,
      heap,
      (sum) => sum,
      (document, score) => heap.offer(score, String(document), document),
    );
    expect(heap.sorted().map((entry) => [entry.reference, entry.score])).toEqual([
      [5, 4.5],
      [7, 4.5],
    ]);
    // Once the rare term's two documents fill the heap (4.5), the common term alone (bound 1) cannot
    // reach it: none of its 1,992 later documents is scored.
    expect(scoredCommon).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
