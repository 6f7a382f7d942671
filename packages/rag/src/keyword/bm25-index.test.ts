import { ConfigurationError, ValidationError } from '@neptune/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardAnalyzer } from '../analysis/english-analyzer';
import { Bm25Index } from './bm25-index';

const CORPUS = [
  { id: 'd1', text: 'apple banana' },
  { id: 'd2', text: 'apple apple cherry' },
  { id: 'd3', text: 'banana' },
];

/** BM25 written out by hand for the corpus above: N = 3, lengths 2, 3, 1, average length 2. */
function expectedScore(
  documentFrequency: number,
  frequency: number,
  length: number,
  k1 = 0.9,
  b = 0.4,
): number {
  const idf = Math.log(1 + (3 - documentFrequency + 0.5) / (documentFrequency + 0.5));
  return (idf * frequency) / (frequency + k1 * (1 - b + (b * length) / 2));
}

function indexOf(
  documents: { id: string; text: string }[],
  options: ConstructorParameters<typeof Bm25Index>[0] = {},
) {
  const index = new Bm25Index({ analyzer: standardAnalyzer, ...options });
  index.add(documents);
  return index;
}

describe('Bm25Index', () => {
  it('scores with BM25 (Lucene form: no k1 + 1 factor)', () => {
    for (const luceneCompatible of [false, true]) {
      const matches = indexOf(CORPUS, { luceneCompatible }).search('apple', { topK: 10 });
      expect(matches.map((match) => match.id)).toEqual(['d2', 'd1']);
      // Lengths under 40 are stored exactly, so the Lucene mode differs only by 32-bit float rounding.
      expect(matches[0]!.score).toBeCloseTo(expectedScore(2, 2, 3), 6);
      expect(matches[1]!.score).toBeCloseTo(expectedScore(2, 1, 2), 6);
    }
  });

  it('sums over query terms and weights each by its count in the query', () => {
    const index = indexOf(CORPUS, { luceneCompatible: false });
    const [d1] = index.search('apple banana', { topK: 1 });
    expect(d1?.id).toBe('d1');
    expect(d1?.score).toBeCloseTo(expectedScore(2, 1, 2) + expectedScore(2, 1, 2), 10);
    const once = index.search('cherry', { topK: 1 })[0]!.score;
    const twice = index.search('cherry cherry', { topK: 1 })[0]!.score;
    expect(twice).toBeCloseTo(2 * once, 10);
  });

  it('uses the k1 and b it is given', () => {
    const index = indexOf(CORPUS, { k1: 1.2, b: 0.75, luceneCompatible: false });
    expect(index.search('apple', { topK: 1 })[0]!.score).toBeCloseTo(expectedScore(2, 2, 3, 1.2, 0.75), 10);
  });

  it('keeps document frequency, document count and average length current on add and remove', () => {
    const index = indexOf(CORPUS);
    expect(index.documentFrequency('apple')).toBe(2);
    expect(index.averageLength).toBe(2);
    index.remove(['d2']);
    expect(index.documentFrequency('apple')).toBe(1);
    expect(index.documentFrequency('cherry')).toBe(0);
    expect(index.averageLength).toBe(1.5);
    index.add([{ id: 'd1', text: 'cherry' }]);
    expect(index.documentFrequency('apple')).toBe(0);
    expect(index.size).toBe(2);
  });

  it('does not count documents without terms in N or the average length, as Lucene does', () => {
    const index = indexOf([...CORPUS, { id: 'empty', text: '...' }], { luceneCompatible: false });
    expect(index.averageLength).toBe(2);
    expect(index.search('apple', { topK: 1 })[0]!.score).toBeCloseTo(expectedScore(2, 2, 3), 10);
  });

  it('gives the same results after any sequence of adds and removes as an index built from scratch', () => {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const operation = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        words: fc.array(fc.constantFrom(...words), { maxLength: 8 }),
      }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const incremental = new Bm25Index({ analyzer: standardAnalyzer });
        const final = new Map<string, string>();
        for (const step of operations) {
          if (step.kind === 'add') {
            incremental.add([{ id: step.id, text: step.words.join(' ') }]);
            final.set(step.id, step.words.join(' '));
          } else {
            incremental.remove([step.id]);
            final.delete(step.id);
          }
        }
        const rebuilt = indexOf([...final].map(([id, text]) => ({ id, text })));
        for (const query of [
          'alpha',
          'beta gamma',
          'delta delta epsilon',
          'alpha beta gamma delta epsilon',
        ]) {
          expect(incremental.search(query, { topK: 10 })).toEqual(rebuilt.search(query, { topK: 10 }));
        }
      }),
    );
  });

  it('reclaims the numbers of removed documents without changing results', () => {
    const documents = Array.from({ length: 3000 }, (_, n) => ({
      id: `doc${n}`,
      text: `word${n % 7} word${n % 11} shared`,
    }));
    const index = indexOf(documents);
    const removed = documents.filter((_, n) => n % 5 !== 0).map((document) => document.id);
    expect(index.remove(removed)).toBe(2400);
    const kept = documents.filter((_, n) => n % 5 === 0);
    const rebuilt = indexOf(kept);
    for (const query of ['word3', 'word5 shared', 'word0 word10']) {
      expect(index.search(query, { topK: 20 })).toEqual(rebuilt.search(query, { topK: 20 }));
    }
    expect(index.get(['doc0', 'doc1', 'doc2995'])).toEqual([
      { id: 'doc0', text: 'word0 word0 shared', metadata: {} },
      { id: 'doc2995', text: documents[2995]!.text, metadata: {} },
    ]);
  });

  it('orders equal scores by id', () => {
    const index = indexOf(['c', 'a', 'b'].map((id) => ({ id, text: 'same words' })));
    expect(index.search('same', { topK: 3 }).map((match) => match.id)).toEqual(['a', 'b', 'c']);
  });

  it('applies the metadata filter before taking the top k', () => {
    const index = new Bm25Index();
    index.add([
      { id: 'best', text: 'term term term', metadata: { lang: 'de' } },
      { id: 'good', text: 'term term other', metadata: { lang: 'en' } },
      { id: 'fair', text: 'term other other', metadata: { lang: 'en' } },
    ]);
    expect(index.search('term', { topK: 1, filter: { lang: 'en' } }).map((match) => match.id)).toEqual([
      'good',
    ]);
    expect(index.removeWhere({ lang: 'en' })).toBe(2);
    expect(index.size).toBe(1);
  });

  it('returns nothing for a query of stop words only', () => {
    const index = new Bm25Index();
    index.add([{ id: 'a', text: 'the cat and the hat' }]);
    expect(index.search('the and of', { topK: 5 })).toEqual([]);
  });

  it('refuses bad options and input with typed errors naming the problem', () => {
    expect(() => new Bm25Index({ k1: Number.NaN })).toThrow(ConfigurationError);
    const index = new Bm25Index();
    index.add([{ id: 'a', text: 'kept' }]);
    expect(() =>
      index.add([
        { id: 'b', text: 'new' },
        { id: '', text: 'x' },
      ]),
    ).toThrow(ValidationError);
    expect(() => index.search('kept', { topK: 0 })).toThrow(/topK must be at least 1/);
    expect(() => index.search('kept', { topK: 1, filter: { 'a b': 1 } })).toThrow(ValidationError);
    expect(index.size).toBe(1);
    expect(index.has('b')).toBe(false);
  });
});
