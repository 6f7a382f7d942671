import { parseInput, throwIfAborted } from '@neptune/core';
import type { Chunker, ChunkSizeOptions, TextChunk } from './chunk';
import { resolveChunkSize } from './chunk-options';
import { packChunks } from './pack-chunks';
import { textSchema } from './sentence-chunker';
import { findBoundaries } from './text-boundaries';

/** Options of `markdownChunker`: the chunk size. */
export type MarkdownChunkerOptions = ChunkSizeOptions;

interface Section {
  readonly start: number;
  readonly end: number;
  readonly headings: readonly string[];
}

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/;
const FENCE = /^\s*(?:```|~~~)/;

/**
 * Splits markdown at ATX headings (outside code fences), each section knowing its heading path. A section
 * with nothing under its heading (`# Guide` straight before `## Install`) is not a section of its own: it
 * opens the next one, so no chunk is a bare heading.
 */
export function markdownSections(text: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let sectionStart = 0;
  let sectionHeadings: readonly string[] = [];
  let sectionHasBody = false;
  let inFence = false;
  let offset = 0;
  for (const line of text.split('\n')) {
    const fence = FENCE.test(line);
    if (fence) inFence = !inFence;
    const heading = inFence || fence ? null : HEADING.exec(line);
    if (heading) {
      if (sectionHasBody) {
        sections.push({ start: sectionStart, end: offset, headings: sectionHeadings });
        sectionStart = offset;
      }
      const depth = heading[1]!.length;
      path.length = Math.min(path.length, depth - 1);
      while (path.length < depth - 1) path.push('');
      path.push(heading[2]!.trim());
      sectionHeadings = path.filter((title) => title !== '');
      sectionHasBody = false;
    } else if (line.trim() !== '') {
      sectionHasBody = true;
    }
    offset += line.length + 1;
  }
  const last = sections.at(-1);
  if (!sectionHasBody && last !== undefined) {
    // A heading with nothing under it at the very end belongs to the section before.
    sections[sections.length - 1] = { ...last, end: text.length };
  } else if (text.length > sectionStart) {
    sections.push({ start: sectionStart, end: text.length, headings: sectionHeadings });
  }
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
