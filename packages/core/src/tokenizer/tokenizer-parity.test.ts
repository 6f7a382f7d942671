import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tokenizer } from '../contracts/tokenizer';
import { locateDataset } from '../testing/datasets';
import { createTokenizer } from './create-tokenizer';
import { tokenizerEncodings } from './tokenizer-encoding';

// tiktoken (OpenAI's Rust BPE compiled to WASM) is the reference: our counts must be the ones the API bills.
const SAMPLE_SIZE = 500;
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const scifact = locateDataset('scifact', repositoryRoot);
const corpusPath = join(scifact ?? '', 'corpus.jsonl');

function readSciFactSample(limit: number): { id: string; text: string }[] {
  return readFileSync(corpusPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, limit)
    .map((line) => {
      const document = JSON.parse(line) as { _id: string; title: string; text: string };
      return { id: document._id, text: `${document.title}\n${document.text}` };
    });
}

const EDGE_CASES: Record<string, string> = {
  empty: '',
  'single space': ' ',
  'whitespace runs': '  \t\t  \n\n\n   \r\n \u00a0\u2003 end   ',
  'trailing spaces': 'word     ',
  emoji: 'Launch 🚀🎉 family 👨‍👩‍👧‍👦 flag 🇫🇷 skin 👍🏽',
  CJK: '東京は日本の首都です。中文分词测试，한국어 문장도 있습니다。',
  'other scripts': 'Ελληνικά русский текст العربية हिन्दी ไทย',
  'combining marks': 'e\u0301 n\u0303 Z\u0351\u0327a\u0358l\u0315g\u0360o',
  code: 'function square(x: number): number {\n  return x ** 2; // why: avoid Math.pow\n}\n\nconst xs = [1, 2, 3].map(square);\n',
  numbers: '1234567890 3.14159 1e-9 -42 0x1F 1,000,000.00',
  'special-token-looking text': '<|endoftext|> <|im_start|>user<|im_end|> <|fim_prefix|><|endofprompt|>',
  'lone surrogates': 'a\ud800b \udc00 end\ud83d',
  'long word': 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(20),
  'repeated characters': `${'='.repeat(300)}\n${'a'.repeat(500)}`,
  'control characters': '\u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f',
  'URL and markup': '<a href="https://example.com/path?q=1&r=2#x">link</a> **bold** `code`',
};

describe.each(tokenizerEncodings)('%s matches tiktoken', (encoding) => {
  let tokenizer: Tokenizer;
  let reference: Tiktoken;

  beforeAll(async () => {
    tokenizer = await createTokenizer({ encoding });
    reference = get_encoding(encoding);
  });
  afterAll(() => reference.free());

  it.each(Object.entries(EDGE_CASES))('on %s', (_name, text) => {
    const expected = Array.from(reference.encode_ordinary(text));
    expect(tokenizer.encode(text)).toEqual(expected);
    expect(tokenizer.count(text)).toBe(expected.length);
    expect(tokenizer.decode(expected)).toBe(
      new TextDecoder('utf-8', { ignoreBOM: true }).decode(reference.decode(new Uint32Array(expected))),
    );
  });

  it('counts special-token-looking text as plain text', () => {
    const text = EDGE_CASES['special-token-looking text']!;
    const specialToken = Array.from(reference.encode('<|endoftext|>', 'all'));
    expect(specialToken).toHaveLength(1);
    expect(tokenizer.encode(text)).not.toContain(specialToken[0]);
    expect(tokenizer.count('<|endoftext|>')).toBeGreaterThan(1);
  });

  describe.skipIf(scifact === undefined)(`on the first ${SAMPLE_SIZE} SciFact documents`, () => {
    it('produces the same tokens for every document, and decodes them back to the document', () => {
      const documents = readSciFactSample(SAMPLE_SIZE);
      expect(documents).toHaveLength(SAMPLE_SIZE);
      const mismatches: string[] = [];
      for (const { id, text } of documents) {
        const expected = Array.from(reference.encode_ordinary(text));
        const actual = tokenizer.encode(text);
        if (actual.length !== expected.length || actual.some((token, index) => token !== expected[index])) {
          mismatches.push(`${id}: ${actual.length} tokens, tiktoken ${expected.length}`);
        }
        if (tokenizer.count(text) !== expected.length)
          mismatches.push(`${id}: count() differs from encode()`);
        if (tokenizer.decode(actual) !== text) mismatches.push(`${id}: decode(encode(text)) !== text`);
      }
      expect(mismatches).toEqual([]);
    });
  });
});

describe.each(tokenizerEncodings)(
  '%s counts prompts line by line, from its cache, as tiktoken does',
  (encoding) => {
    let tokenizer: Tokenizer;
    let reference: Tiktoken;
    beforeAll(async () => {
      tokenizer = await createTokenizer({ encoding });
      reference = get_encoding(encoding);
    });
    afterAll(() => reference.free());

    it('on any text of lines, words, digits, punctuation and whitespace, counted twice', () => {
      const alphabet = [
        'a',
        'B',
        'é',
        '7',
        '42',
        ' ',
        '  ',
        '\n',
        '\n\n',
        '\r\n',
        '.',
        '!?',
        '/',
        '\t',
        '👍',
        'Ω',
        '\u0301',
        "'s",
        '-',
      ];
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), (pieces) => {
          const text = pieces.join('');
          const expected = reference.encode_ordinary(text).length;
          expect(tokenizer.count(text)).toBe(expected);
          expect(tokenizer.count(text)).toBe(expected);
        }),
        { numRuns: 2_000 },
      );
    });

    it('on a prompt whose lines repeat from the last one, but for the question', () => {
      const lines = Array.from(
        { length: 40 },
        (_, index) => `- Ticket ${index}: the customer asks whether item ${index} shipped.`,
      );
      for (const question of ['How do refunds work?', 'And how long does that take?']) {
        const prompt = `## App context\n${lines.join('\n')}\n\n## Question\n${question}\n`;
        expect(tokenizer.count(prompt)).toBe(reference.encode_ordinary(prompt).length);
      }
    });
  },
);
