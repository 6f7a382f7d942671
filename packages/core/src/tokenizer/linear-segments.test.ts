import type { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import { describe, expect, it } from 'vitest';
import { bpeTokenizer } from './bpe-tokenizer';
import { linearSegments, MAX_BPE_PIECE_LENGTH } from './linear-segments';
import { type LoadedEncoding, loadEncoding } from './load-encoding';
import { tokenizerEncodings } from './tokenizer-encoding';

// BPE costs about the square of a piece's length, so the work a text costs is bounded by the longest
// pre-tokenizer piece that reaches the encoder. Rather than timing anything, these tests record every
// string our tokenizer hands to gpt-tokenizer and measure its longest piece with the encoder's own pattern:
// with pieces of at most MAX_BPE_PIECE_LENGTH, merge work is at most text length × that bound.
function longestPiece(text: string, pattern: RegExp): number {
  let longest = 0;
  for (const [piece] of text.matchAll(pattern)) longest = Math.max(longest, piece.length);
  return longest;
}

function recordingEncoding(loaded: LoadedEncoding, seen: string[]): LoadedEncoding {
  const real = loaded.encoder;
  const record = <Result>(text: string, call: () => Result): Result => {
    seen.push(text);
    return call();
  };
  const encoder = {
    countTokens: (text: string, options: never) => record(text, () => real.countTokens(text, options)),
    encode: (text: string, options: never) => record(text, () => real.encode(text, options)),
    encodeGenerator: (text: string, options: never) =>
      record(text, () => real.encodeGenerator(text, options)),
    decode: real.decode,
  } as unknown as GptEncoding;
  return { ...loaded, encoder };
}

function randomLetters(length: number, seed = 7): string {
  let state = seed;
  let text = '';
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    text += String.fromCharCode(97 + (state % 26));
  }
  return text;
}

const LONG_RUNS: Record<string, string> = {
  'one letter': 'a'.repeat(80_000),
  'random letters': randomLetters(60_000),
  'capitalised run': `Intro ${'Ab'.repeat(30_000)} outro`,
  whitespace: `x${' '.repeat(50_000)}y`,
  punctuation: `say ${'!?'.repeat(25_000)}\n`,
  'emoji (surrogate pairs)': '🚀'.repeat(20_001),
  CJK: '東京'.repeat(25_000),
  'runs between prose': `Hello there. ${'z'.repeat(5000)} and ${'-'.repeat(3000)} done.`,
};

describe.each(tokenizerEncodings)('%s on long unbroken runs', (encoding) => {
  it.each(Object.entries(LONG_RUNS))(
    'hands no over-long piece to BPE (%s), and round-trips',
    async (_name, text) => {
      const loaded = await loadEncoding(encoding);
      const seen: string[] = [];
      const tokenizer = bpeTokenizer(encoding, recordingEncoding(loaded, seen));

      const tokens = tokenizer.encode(text);
      expect(tokenizer.count(text)).toBe(tokens.length);
      expect(tokenizer.decode(tokens)).toBe(text);
      const cut = tokenizer.truncate(text, 50);
      expect(text.startsWith(cut)).toBe(true);
      expect(tokenizer.count(cut)).toBeLessThanOrEqual(50);

      expect(seen.length).toBeGreaterThan(0);
      const longest = Math.max(...seen.map((segment) => longestPiece(segment, loaded.splitPattern)));
      expect(longest).toBeLessThanOrEqual(MAX_BPE_PIECE_LENGTH);
    },
  );
});

describe('linearSegments', () => {
  it('rebuilds the text exactly and leaves short text whole', async () => {
    const { splitPattern } = await loadEncoding('o200k_base');
    for (const text of Object.values(LONG_RUNS)) {
      const segments = [...linearSegments(text, splitPattern)];
      expect(segments.join('')).toBe(text);
      // No segment ends in the first half of a surrogate pair.
      for (const segment of segments) expect(/[\ud800-\udbff]$/.test(segment)).toBe(false);
    }
    const prose = 'Ordinary prose, with code: `x ** 2`. '.repeat(200);
    expect([...linearSegments(prose, splitPattern)]).toEqual([prose]);
    expect([...linearSegments('short', splitPattern)]).toEqual(['short']);
  });
});
