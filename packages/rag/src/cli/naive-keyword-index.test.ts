import { describeKeywordIndexConformance } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { naiveKeywordIndex, queryWords } from './naive-keyword-index';

describeKeywordIndexConformance({
  name: 'keyword-naive',
  create: () => naiveKeywordIndex(),
  capabilities: { stemming: false, bm25: false },
  skip: [
    {
      test: 'search returns at most topK matches, best first',
      reason: 'the naive count ignores how often a word occurs, so "echo" ×5 ties with "echo" ×1',
    },
  ],
});

describe('naiveKeywordIndex', () => {
  const scope = { workspaceId: 'acme' };

  it('splits a query into distinct lower-case words', () => {
    expect(queryWords('Vitamin D, vitamin-d deficiency?')).toEqual(['vitamin', 'd', 'deficiency']);
  });

  it('scores a text by the count of query words it contains, as substrings, ties in insertion order', async () => {
    const index = naiveKeywordIndex();
    await index.add(scope, [
      { id: 'one', text: 'Vitamin levels' },
      { id: 'none', text: 'Unrelated text' },
      { id: 'two', text: 'Low VITAMIN D in winter' },
      { id: 'also-one', text: 'deficiencies of iron' },
    ]);
    const matches = await index.search(scope, { query: 'vitamin deficiencies', topK: 10 });
    expect(matches.map((match) => [match.id, match.score])).toEqual([
      ['one', 1],
      ['two', 1],
      ['also-one', 1],
    ]);
    // "in" is a query word too, and the naive count matches it inside "vitamin" and "winter".
    const withStopWord = await index.search(scope, { query: 'vitamin in', topK: 2 });
    expect(withStopWord.map((match) => [match.id, match.score])).toEqual([
      ['one', 2],
      ['two', 2],
    ]);
  });
});
