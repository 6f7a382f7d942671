import fc from 'fast-check';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tokenizer } from '../contracts/tokenizer';
import { createTokenizer } from './create-tokenizer';
import { tokenizerEncodings } from './tokenizer-encoding';

// Pieces chosen to land cuts inside multi-token characters (emoji, CJK), inside whitespace runs whose
// tokenization depends on what follows, on lone surrogates, and on text that looks like special tokens.
const PIECES = [
  'a',
  'the',
  ' word',
  ' ',
  '   ',
  '\n',
  '\t',
  '.',
  '42',
  'é',
  'e\u0301',
  '中文',
  '東京',
  '😀',
  '👨‍👩‍👧',
  '🇫🇷',
  '<|endoftext|>',
  '\ud800',
  'Ω',
];
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.lorem({ maxCount: 40 }),
);
const maxTokens = fc.integer({ min: 1, max: 40 });

/** The index just past the code point at `index`, written independently of the code under test. */
function afterCodePoint(value: string, index: number): number {
  return index + String.fromCodePoint(value.codePointAt(index)!).length;
}

describe.each(tokenizerEncodings)('truncate with %s', (encoding) => {
  let tokenizer: Tokenizer;
  let reference: Tiktoken;
  const referenceCount = (value: string) => reference.encode_ordinary(value).length;

  beforeAll(async () => {
    tokenizer = await createTokenizer({ encoding });
    reference = get_encoding(encoding);
  });
  afterAll(() => reference.free());

  it('returns a prefix of the input that fits, and whole when the input fits', () => {
    fc.assert(
      fc.property(text, maxTokens, (input, budget) => {
        const result = tokenizer.truncate(input, budget);
        expect(input.startsWith(result)).toBe(true);
        expect(referenceCount(result)).toBeLessThanOrEqual(budget);
        if (referenceCount(input) <= budget) expect(result).toBe(input);
      }),
      { numRuns: 400 },
    );
  });

  it('is maximal: one more code point, or the next token, would not fit', () => {
    fc.assert(
      fc.property(text, maxTokens, (input, budget) => {
        const result = tokenizer.truncate(input, budget);
        if (result === input) return;
        expect(referenceCount(input.slice(0, afterCodePoint(input, result.length)))).toBeGreaterThan(budget);
        const rest = input.slice(result.length);
        const nextToken = reference.encode_ordinary(rest)[0]!;
        const nextTokenText = new TextDecoder().decode(reference.decode_single_token_bytes(nextToken));
        // A token that holds part of a character has no text of its own; the code-point check covers it.
        if (nextTokenText !== '' && rest.startsWith(nextTokenText)) {
          expect(referenceCount(result + nextTokenText)).toBeGreaterThan(budget);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never cuts a surrogate pair in two', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('😀', '🚀', 'a', ' '), maxLength: 60 }),
        maxTokens,
        (input, budget) => {
          const result = tokenizer.truncate(input, budget);
          expect(result).toBe(Array.from(result).join(''));
          expect(result).not.toMatch(/[\ud800-\udbff]$/);
        },
      ),
    );
  });

  it('drops a character that does not fit whole rather than returning half of it', () => {
    const family = '👨‍👩‍👧‍👦';
    const tokensPerFamily = tokenizer.count(family);
    expect(tokensPerFamily).toBeGreaterThan(2);
    const result = tokenizer.truncate(`ok ${family}`, tokenizer.count('ok ') + 1);
    expect(`ok ${family}`.startsWith(result)).toBe(true);
    expect(result).not.toContain('\ufffd');
    expect(tokenizer.count(result)).toBeLessThanOrEqual(tokenizer.count('ok ') + 1);
  });

  it('keeps the invariants on a long text cut far from its end', () => {
    const paragraph = 'Retrieval quality depends on chunking, ranking and the budget given to context. ';
    const long = paragraph.repeat(20_000);
    const result = tokenizer.truncate(long, 1_000);
    expect(long.startsWith(result)).toBe(true);
    expect(referenceCount(result)).toBeLessThanOrEqual(1_000);
    expect(referenceCount(long.slice(0, afterCodePoint(long, result.length)))).toBeGreaterThan(1_000);
  });
});
