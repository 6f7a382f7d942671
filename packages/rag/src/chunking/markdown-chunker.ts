import { parseInput, throwIfAborted } from '@neptune/core';
import type { Chunker, ChunkSizeOptions, TextChunk } from './chunk';
import { resolveChunkSize } from './chunk-options';
import { packChunks } from './pack-chunks';
import { textSchema } from './sentence-chunker';
import { findBoundaries } from './text-boundaries';

export type MarkdownChunkerOptions = ChunkSizeOptions;

interface Section {
  readonly start: number;
  readonly end: number;
  readonly headings: readonly string[];
}

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/;
const FENCE = /^\s*(?:```|~~~)/;

/** Splits markdown at ATX headings (outside code fences), each section knowing its heading path. */
export function markdownSections(text: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let sectionStart = 0;
  let sectionHeadings: readonly string[] = [];
  let inFence = false;
  let offset = 0;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading) {
      if (offset > sectionStart)
        sections.push({ start: sectionStart, end: offset, headings: sectionHeadings });
      const depth = heading[1]!.length;
      path.length = Math.min(path.length, depth - 1);
      while (path.length < depth - 1) path.push('');
      path.push(heading[2]!.trim());
      sectionStart = offset;
      sectionHeadings = path.filter((title) => title !== '');
    }
    offset += line.length + 1;
  }
  if (text.length > sectionStart)
    sections.push({ start: sectionStart, end: text.length, headings: sectionHeadings });
  return sections;
}

/**
 * Chunks markdown section by section: no chunk spans two sections, and each carries its heading path
 * (`headings`), so a passage about "Limits" under "API > Rate limits" keeps that context when retrieved.
 * The heading path's tokens are reserved from the budget, so `headings + text` still fits `maxTokens`.
 */
export function markdownChunker(options: MarkdownChunkerOptions = {}): Chunker {
  const size = resolveChunkSize(options, 'markdownChunker options');
  return {
    name: 'markdown',
    async chunk(text, chunkOptions): Promise<TextChunk[]> {
      const checked = parseInput(textSchema, text, 'markdown to chunk');
      throwIfAborted(chunkOptions?.signal, 'Chunking');
      const tokenizer = await size.tokenizer();
      const boundaries = findBoundaries(checked);
      const chunks: TextChunk[] = [];
      for (const section of markdownSections(checked)) {
        const context = section.headings.join(' > ');
        const reserved = context === '' ? 0 : tokenizer.count(`${context}\n`);
        const maxTokens = Math.max(Math.floor(size.maxTokens / 2), size.maxTokens - reserved);
        chunks.push(
          ...packChunks(checked, {
            ...size,
            tokenizer,
            maxTokens,
            overlapTokens: Math.min(size.overlapTokens, Math.floor(maxTokens / 2)),
            boundaries,
            start: section.start,
            end: section.end,
            headings: section.headings,
          }),
        );
      }
      return chunks;
    },
  };
}
