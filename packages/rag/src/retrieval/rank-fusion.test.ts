import { describe, expect, it } from 'vitest';
import { normalizedScoreFusion, reciprocalRankFusion } from './rank-fusion';

describe('reciprocalRankFusion', () => {
  it('weights legs and keys on ids, carrying each leg rank and score', () => {
    const fused = reciprocalRankFusion([
      {
        leg: 'vector',
        weight: 0.7,
        results: [
          { id: 'a', score: 0.9 },
          { id: 'b', score: 0.8 },
        ],
      },
      {
        leg: 'keyword',
        weight: 0.3,
        results: [
          { id: 'b', score: 12 },
          { id: 'c', score: 7 },
        ],
      },
    ]);
    expect(fused.map((result) => result.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.score).toBeCloseTo(0.7 / 62 + 0.3 / 61, 12);
    expect(fused[0]!.legs).toEqual({ vector: { rank: 2, score: 0.8 }, keyword: { rank: 1, score: 12 } });
    expect(fused[2]!.legs).toEqual({ keyword: { rank: 2, score: 7 } });
  });

  it('lets a strong vector weight win over a keyword-only hit', () => {
    const fused = reciprocalRankFusion([
      { leg: 'vector', weight: 0.7, results: [{ id: 'v', score: 1 }] },
      { leg: 'keyword', weight: 0.3, results: [{ id: 'k', score: 1 }] },
    ]);
    expect(fused.map((result) => result.id)).toEqual(['v', 'k']);
  });

  it('keeps the best rank per leg when several queries are fused, and breaks ties on id', () => {
    const fused = reciprocalRankFusion([
      {
        leg: 'keyword',
        weight: 1,
        results: [
          { id: 'x', score: 3 },
          { id: 'y', score: 2 },
        ],
      },
      {
        leg: 'keyword',
        weight: 1,
        results: [
          { id: 'y', score: 5 },
          { id: 'x', score: 1 },
        ],
      },
    ]);
    expect(fused.map((result) => result.id)).toEqual(['x', 'y']);
    expect(fused.find((result) => result.id === 'y')!.legs.keyword).toEqual({ rank: 1, score: 5 });
  });
});

describe('normalizedScoreFusion', () => {
  it('normalises each leg to [0, 1] before weighting', () => {
    const fused = normalizedScoreFusion([
      {
        leg: 'vector',
        weight: 0.5,
        results: [
          { id: 'a', score: 0.9 },
          { id: 'b', score: 0.1 },
        ],
      },
      {
        leg: 'keyword',
        weight: 0.5,
        results: [
          { id: 'b', score: 40 },
          { id: 'a', score: 20 },
          { id: 'c', score: 0 },
        ],
      },
    ]);
    expect(fused.map((result) => [result.id, Number(result.score.toFixed(3))])).toEqual([
      ['a', 0.75],
      ['b', 0.5],
      ['c', 0],
    ]);
  });
});
