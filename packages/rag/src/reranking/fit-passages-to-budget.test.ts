import { describe, expect, it } from 'vitest';
import { fitPassagesToBudget } from './fit-passages-to-budget';

const wordTokenizer = {
  count: (text: string) => text.split(' ').filter(Boolean).length,
  truncate: (text: string, maxTokens: number) =>
    text.split(' ').filter(Boolean).slice(0, maxTokens).join(' '),
};
const words = (count: number, word = 'w') => Array.from({ length: count }, () => word).join(' ');

describe('fitPassagesToBudget', () => {
  it('keeps short passages whole and shares what they leave among the long ones', () => {
    const fitted = fitPassagesToBudget([words(10), words(500), words(20), words(500)], {
      maxTokens: 230,
      tokenizer: wordTokenizer,
      overheadTokensPerPassage: 0,
      minTokensPerPassage: 5,
    });
    expect(fitted.map((passage) => wordTokenizer.count(passage.text))).toEqual([10, 100, 20, 100]);
    expect(fitted.map((passage) => passage.index)).toEqual([0, 1, 2, 3]);
  });

  it('never exceeds the budget, overhead included, and leaves out the last passages when even the minimum does not fit', () => {
    const texts = Array.from({ length: 30 }, (_, index) => words(50 + index));
    const fitted = fitPassagesToBudget(texts, {
      maxTokens: 400,
      tokenizer: wordTokenizer,
      overheadTokensPerPassage: 4,
      minTokensPerPassage: 16,
    });
    expect(fitted).toHaveLength(20);
    expect(fitted.map((passage) => passage.index)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    const used = fitted.reduce((sum, passage) => sum + wordTokenizer.count(passage.text) + 4, 0);
    expect(used).toBeLessThanOrEqual(400);
    expect(used).toBeGreaterThan(390);
  });

  it('returns nothing when the budget cannot hold one passage', () => {
    expect(
      fitPassagesToBudget([words(100)], {
        maxTokens: 10,
        tokenizer: wordTokenizer,
        overheadTokensPerPassage: 2,
        minTokensPerPassage: 16,
      }),
    ).toEqual([]);
  });
});
