import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopKHeap } from './top-k-heap';

describe('TopKHeap', () => {
  it('keeps the same entries, in the same order, as sorting everything', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ score: fc.integer({ min: -5, max: 5 }), id: fc.string({ maxLength: 3 }) }), {
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 20 }),
        (entries, k) => {
          const heap = new TopKHeap(k);
          entries.forEach((entry, index) => {
            heap.offer(entry.score, entry.id, index);
          });
          const expected = entries
            .map((entry, index) => ({ ...entry, reference: index }))
            .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .slice(0, k);
          const kept = heap.sorted();
          expect(kept.map(({ score, id }) => [score, id])).toEqual(
            expected.map(({ score, id }) => [score, id]),
          );
        },
      ),
    );
  });

  it('admits only entries that would be kept once full', () => {
    const heap = new TopKHeap(2);
    heap.offer(5, 'a', 0);
    heap.offer(3, 'b', 1);
    expect(heap.admits(2, 'z')).toBe(false);
    expect(heap.admits(3, 'a')).toBe(true);
    expect(heap.admits(3, 'c')).toBe(false);
    expect(heap.admits(4, 'z')).toBe(true);
  });
});
