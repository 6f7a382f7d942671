import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { pieceCountCache } from './bpe-tokenizer';
import { createTokenizer } from './create-tokenizer';
import { tokenizerEncodings } from './tokenizer-encoding';

/** A seeded generator, so that a failure names the same text every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Made-up words (outside the vocabulary, as names and codes are), mixed with punctuation, digits, CJK and spaces. */
function variedTexts(count: number, random: () => number): string[] {
  const syllables = ['ka', 'lo', 'vi', 'tor', 'ne', 'zu', 'bri', 'ga', 'mi', 'sa', 'pe', 'do', 'ru', 'ves'];
  const extras = [', ', '. ', '\n', '\n\n', '  ', ' 42 ', " it's ", '—', ' 東京', '\t', ' 👍 ', ' ', '!? '];
  const texts: string[] = [];
  for (let index = 0; index < count; index++) {
    let text = '';
    const words = 5 + Math.floor(random() * 60);
    for (let word = 0; word < words; word++) {
      let piece = '';
      const length = 1 + Math.floor(random() * 4);
      for (let s = 0; s < length; s++) piece += syllables[Math.floor(random() * syllables.length)];
      if (random() < 0.1) piece = piece[0]!.toUpperCase() + piece.slice(1);
      text += piece + (random() < 0.25 ? extras[Math.floor(random() * extras.length)]! : ' ');
    }
    texts.push(text);
  }
  return texts;
}

describe.each(tokenizerEncodings)('%s counts from its piece cache as tiktoken does', (encoding) => {
  it('on texts of new and recurring made-up words, each counted cold and again', async () => {
    const tokenizer = await createTokenizer({ encoding });
    const reference = get_encoding(encoding);
    try {
      const mismatches: string[] = [];
      for (const text of variedTexts(400, seeded(7))) {
        const expected = reference.encode_ordinary(text).length;
        // Twice, and as a longer text that holds it: the second count is from the caches.
        for (const candidate of [text, text, `${text}${text.slice(0, 40)}`]) {
          const wanted = candidate === text ? expected : reference.encode_ordinary(candidate).length;
          if (tokenizer.count(candidate) !== wanted) mismatches.push(JSON.stringify(candidate));
          if (tokenizer.encode(candidate).length !== wanted)
            mismatches.push(`encode ${JSON.stringify(candidate)}`);
        }
      }
      expect(mismatches).toEqual([]);
    } finally {
      reference.free();
    }
  });
});

describe('pieceCountCache', () => {
  // A toy encoding where every piece of the pattern is one token, and the piece "ab" exists only before a
  // "c": alone, the pattern splits it in two. Summing cached counts of "ab" would count it wrongly.
  const pattern = /ab(?=c)|a|b|c/gu;
  const countWhole = (text: string) => [...text.matchAll(pattern)].length;

  it('sums the counts of the pieces, counting each distinct piece once', () => {
    const counted: string[] = [];
    const count = pieceCountCache(pattern, (text) => {
      counted.push(text);
      return countWhole(text);
    });
    expect(count('aabba')).toBe(5);
    expect(count('baab')).toBe(4);
    expect(counted).toEqual(['a', 'b']);
  });

  it('counts the segment whole when a piece would split differently on its own', () => {
    const count = pieceCountCache(pattern, countWhole);
    expect(count('abc')).toBe(countWhole('abc'));
    expect(count('abc')).toBe(2);
    expect(count('aabcab')).toBe(countWhole('aabcab'));
  });
});
