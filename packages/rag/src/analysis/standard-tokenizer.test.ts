import { describe, expect, it } from 'vitest';
import { standardTokenize } from './standard-tokenizer';

// Expected tokens follow Lucene's StandardTokenizer (UAX #29 word boundaries).
const CASES: [string, string, string[]][] = [
  [
    'splits on whitespace and punctuation',
    'Hello, World! How are you?',
    ['Hello', 'World', 'How', 'are', 'you'],
  ],
  ['keeps apostrophes inside words', "don't O'Neil's rock'n'roll", ["don't", "O'Neil's", "rock'n'roll"]],
  ['keeps a typographic apostrophe inside words', 'Neptune’s moons', ['Neptune’s', 'moons']],
  ['drops apostrophes at word edges', "'quoted' students'", ['quoted', 'students']],
  [
    'keeps decimals and thousands separators in numbers',
    '3.5 mg and 1,000 cells',
    ['3.5', 'mg', 'and', '1,000', 'cells'],
  ],
  ['keeps version-like numbers together', 'v1.2.3 and 10.1.2', ['v1.2.3', 'and', '10.1.2']],
  ['keeps letters and digits together', 'IL6 H2O p53', ['IL6', 'H2O', 'p53']],
  [
    'splits at hyphens',
    'TGF-β state-of-the-art IL-1β',
    ['TGF', 'β', 'state', 'of', 'the', 'art', 'IL', '1β'],
  ],
  [
    'keeps dotted abbreviations, dropping the final dot',
    'e.g. the U.S.A. team',
    ['e.g', 'the', 'U.S.A', 'team'],
  ],
  [
    'joins letters across a colon (a UAX #29 MidLetter) but not digits',
    'a:b at 10:30',
    ['a:b', 'at', '10', '30'],
  ],
  ['drops comparison signs around numbers', 'p<0.05 and n=12', ['p', '0.05', 'and', 'n', '12']],
  ['does not join a number and a letter across a dot', '1.a A.1', ['1', 'a', 'A', '1']],
  ['joins underscores (ExtendNumLet) into words', 'foo_bar _x y_ ___', ['foo_bar', '_x', 'y_']],
  ['keeps combining marks with their letter', 'cafe\u0301 nai\u0308ve', ['cafe\u0301', 'nai\u0308ve']],
  ['keeps a soft hyphen (a Format character) inside a word', 'hyphen\u00adation', ['hyphen\u00adation']],
  ['drops symbols that are neither letters nor digits', 'x² ± 5 °C → 10 %', ['x', '5', 'C', '10']],
  ['makes one token per CJK ideograph and Hiragana character', '中文 ひら', ['中', '文', 'ひ', 'ら']],
  ['keeps Katakana runs together', 'カタカナ テスト', ['カタカナ', 'テスト']],
  ['keeps South East Asian runs together', 'ภาษาไทย ok', ['ภาษาไทย', 'ok']],
  ['keeps emoji sequences as tokens', 'hi 👍🏽 🇺🇸 👨‍👩‍👧', ['hi', '👍🏽', '🇺🇸', '👨‍👩‍👧']],
  ['reads ©, ® and ™ as emoji, as Lucene does', '©2020 Acme™', ['©', '2020', 'Acme', '™']],
  ['returns nothing for empty or punctuation-only text', '  ... -- !! ', []],
];

describe('standardTokenize', () => {
  it.each(CASES)('%s', (_, text, expected) => {
    expect(standardTokenize(text)).toEqual(expected);
  });

  it('returns nothing for an empty string', () => {
    expect(standardTokenize('')).toEqual([]);
  });

  it('cuts tokens longer than the maximum length into pieces, as Lucene does', () => {
    const long = 'a'.repeat(600);
    expect(standardTokenize(long).map((token) => token.length)).toEqual([255, 255, 90]);
    expect(standardTokenize('abcdef', 4)).toEqual(['abcd', 'ef']);
  });

  it('keeps characters outside the Basic Multilingual Plane intact', () => {
    expect(standardTokenize('𝐀𝐁𝐂 𝟏𝟐')).toEqual(['𝐀𝐁𝐂', '𝟏𝟐']);
  });
});
