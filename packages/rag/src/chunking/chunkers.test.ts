import { ConfigurationError, ValidationError } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextChunk } from './chunk';
import { markdownChunker, markdownSections } from './markdown-chunker';
import { semanticChunker } from './semantic-chunker';
import { sentenceChunker } from './sentence-chunker';

const tokenizer = await createTokenizer({ encoding: 'cl100k_base' });

const piece = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom('the', 'protein', 'Binds', 'receptor', 'cells', 'IL-6', '3.5', 'mg/kg', 'and'),
  },
  { weight: 4, arbitrary: fc.constant(' ') },
  { weight: 2, arbitrary: fc.constantFrom('. ', '! ', '? ', ', ', '; ') },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\n\n', '\t') },
  { weight: 1, arbitrary: fc.constantFrom('東京の天気は晴れです。', '数据库索引', '🙂', 'é', '𝄞') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\n```ts\nconst x = a.b(c);\n```\n', '# Title\n', '## Part two\n'),
  },
  {
    weight: 1,
    arbitrary: fc.string({ minLength: 20, maxLength: 400, unit: fc.constantFrom('a', 'Z', '0', '+', '/') }),
  },
);
const document = fc.array(piece, { minLength: 0, maxLength: 400 }).map((parts) => parts.join(''));
const sizes = fc.integer({ min: 16, max: 160 }).chain((maxTokens) =>
  fc.record({
    maxTokens: fc.constant(maxTokens),
    overlapTokens: fc.integer({ min: 0, max: Math.floor(maxTokens / 2) }),
  }),
);

function checkInvariants(text: string, chunks: TextChunk[], maxTokens: number, overlapTokens: number): void {
  for (const chunk of chunks) {
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.tokens).toBe(tokenizer.count(chunk.text));
    expect(chunk.tokens).toBeLessThanOrEqual(maxTokens);
    expect(chunk.text.trim()).not.toBe('');
  }
  for (let index = 1; index < chunks.length; index++) {
    const previous = chunks[index - 1]!;
    const current = chunks[index]!;
    expect(current.start).toBeGreaterThan(previous.start);
    expect(current.end).toBeGreaterThan(previous.end);
    if (overlapTokens >= 4 && previous.tokens > overlapTokens && current.headings === previous.headings) {
      // The overlap is always kept, and never more than asked for.
      expect(current.start).toBeLessThan(previous.end);
      expect(tokenizer.count(text.slice(current.start, previous.end))).toBeLessThanOrEqual(overlapTokens);
    }
  }
  // Nothing is lost: every non-space character is in some chunk.
  let covered = 0;
  for (const chunk of chunks) {
    covered = Math.max(covered, chunk.start <= covered ? chunk.end : covered);
    for (let index = covered; index < chunk.start; index++) expect(text[index]).toMatch(/\s/);
    covered = Math.max(covered, chunk.end);
  }
  for (let index = covered; index < text.length; index++) expect(text[index]).toMatch(/\s/);
}

describe('sentenceChunker', () => {
  it('never exceeds the maximum, keeps the overlap and loses nothing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(document, sizes, async (text, size) => {
        const chunks = await sentenceChunker({ tokenizer, ...size }).chunk(text);
        checkInvariants(text, chunks, size.maxTokens, size.overlapTokens);
      }),
      { numRuns: 150 },
    );
  });

  it('ends chunks at sentence ends when sentences fit', async () => {
    const text = Array.from(
      { length: 40 },
      (_, index) => `Sentence number ${index} talks about cells and proteins.`,
    ).join(' ');
    const chunks = await sentenceChunker({ tokenizer, maxTokens: 50, overlapTokens: 12 }).chunk(text);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.text).toMatch(/\.$/);
    for (const chunk of chunks.slice(1)) expect(chunk.text).toMatch(/^Sentence number \d+/);
  });

  it('handles text without punctuation, one huge sentence and one huge word', async () => {
    const chunker = sentenceChunker({ tokenizer, maxTokens: 32, overlapTokens: 8 });
    const noPunctuation = Array.from({ length: 300 }, (_, index) => `word${index}`).join(' ');
    checkInvariants(noPunctuation, await chunker.chunk(noPunctuation), 32, 8);
    const base64 = 'QUJD'.repeat(2000);
    const chunks = await chunker.chunk(base64);
    checkInvariants(base64, chunks, 32, 8);
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('splits CJK text without spaces into valid chunks', async () => {
    const text = '東京の天気は晴れです。明日は雨が降るでしょう。'.repeat(60);
    const chunks = await sentenceChunker({ tokenizer, maxTokens: 40, overlapTokens: 10 }).chunk(text);
    checkInvariants(text, chunks, 40, 10);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text).toMatch(/。$/);
  });

  it('keeps a short document whole and returns nothing for blank text', async () => {
    const chunker = sentenceChunker();
    expect(await chunker.chunk('Short note.')).toEqual([
      { text: 'Short note.', start: 0, end: 11, tokens: 3 },
    ]);
    expect(await chunker.chunk('  \n ')).toEqual([]);
  });

  it('refuses bad options and non-text input with typed errors', async () => {
    expect(() => sentenceChunker({ maxTokens: 100, overlapTokens: 80 })).toThrow(
      /overlapTokens must be at most half/,
    );
    expect(() => sentenceChunker({ maxTokens: 0 })).toThrow(ConfigurationError);
    await expect(sentenceChunker().chunk(42 as unknown as string)).rejects.toSatisfy(
      (error) => ValidationError.isInstance(error) && /must be text/.test((error as Error).message),
    );
  });
});

describe('markdownChunker', () => {
  const markdown = [
    '# API',
    'Our REST API is versioned.',
    '## Rate limits',
    'Growth allows 100 requests per minute. Enterprise allows 1,000.',
    '```',
    '# not a heading inside code',
    '```',
    '## Errors',
    'A 429 answer carries Retry-After.',
    '# Billing',
    'Invoices are monthly.',
  ].join('\n');

  it('finds sections with their heading paths, ignoring # inside code', () => {
    expect(markdownSections(markdown).map((section) => section.headings)).toEqual([
      ['API'],
      ['API', 'Rate limits'],
      ['API', 'Errors'],
      ['Billing'],
    ]);
  });

  it('never makes a bare heading a section of its own', async () => {
    const guide = [
      '# Automations',
      '',
      '## Triggers',
      'A trigger starts a rule.',
      '',
      '## Actions',
      'An action runs.',
      '',
      '# See also',
      '',
    ].join('\n');
    const sections = markdownSections(guide);
    expect(sections.map((section) => section.headings)).toEqual([
      ['Automations', 'Triggers'],
      ['Automations', 'Actions'],
    ]);
    expect(guide.slice(sections[0]!.start, sections[0]!.end)).toMatch(
      /^# Automations\n\n## Triggers\nA trigger/,
    );
    expect(sections.at(-1)!.end).toBe(guide.length);
    const chunks = await markdownChunker({ tokenizer, maxTokens: 64, overlapTokens: 0 }).chunk(guide);
    for (const chunk of chunks) expect(chunk.text.replace(/^#+ .*$/gm, '').trim()).not.toBe('');
  });

  it('never lets a chunk span two sections, and carries the headings', async () => {
    const chunks = await markdownChunker({ tokenizer, maxTokens: 64, overlapTokens: 8 }).chunk(markdown);
    const limits = chunks.find((chunk) => chunk.text.includes('100 requests'));
    expect(limits?.headings).toEqual(['API', 'Rate limits']);
    expect(limits?.text).not.toContain('Retry-After');
    expect(chunks.find((chunk) => chunk.text.includes('Invoices'))?.headings).toEqual(['Billing']);
  });

  it('reserves room for the heading path (property)', async () => {
    await fc.assert(
      fc.asyncProperty(document, sizes, async (text, size) => {
        const chunks = await markdownChunker({ tokenizer, ...size }).chunk(text);
        checkInvariants(text, chunks, size.maxTokens, size.overlapTokens);
        for (const chunk of chunks) {
          const context = chunk.headings?.length ? `${chunk.headings.join(' > ')}\n` : '';
          if (tokenizer.count(context) <= size.maxTokens / 2) {
            expect(tokenizer.count(context) + chunk.tokens).toBeLessThanOrEqual(size.maxTokens + 1);
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('semanticChunker', () => {
  it('splits where the subject changes', async () => {
    const cells = Array.from(
      { length: 8 },
      (_, index) => `Stem cells divide and the cell membrane renews in cycle ${index}.`,
    );
    const stars = Array.from(
      { length: 8 },
      (_, index) => `The telescope tracked a distant galaxy and its stars on night ${index}.`,
    );
    const text = [...cells, ...stars].join(' ');
    const chunker = semanticChunker({
      tokenizer,
      embedder: offlineEmbedder(),
      maxTokens: 400,
      breakpointPercentile: 90,
      minTokens: 10,
    });
    const chunks = await chunker.chunk(text);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const boundary = text.indexOf('The telescope');
    expect(chunks.some((chunk) => chunk.start === boundary)).toBe(true);
    expect(
      chunks.every((chunk) => !(chunk.text.includes('cell membrane') && chunk.text.includes('galaxy'))),
    ).toBe(true);
  });

  it('keeps the size invariants (property)', async () => {
    const embedder = offlineEmbedder({ dimensions: 64 });
    await fc.assert(
      fc.asyncProperty(document, sizes, async (text, size) => {
        const chunks = await semanticChunker({ tokenizer, embedder, ...size }).chunk(text);
        for (const chunk of chunks) {
          expect(chunk.tokens).toBeLessThanOrEqual(size.maxTokens);
          expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
        }
      }),
      { numRuns: 40 },
    );
  });
});
