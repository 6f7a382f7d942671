import { parseInput, throwIfAborted } from '@neptune/core';
import { z } from 'zod';
import type { Chunker, ChunkSizeOptions, TextChunk } from './chunk';
import { resolveChunkSize } from './chunk-options';
import { packChunks } from './pack-chunks';
import { findBoundaries } from './text-boundaries';

/** Options of `sentenceChunker`: the chunk size. */
export type SentenceChunkerOptions = ChunkSizeOptions;

export const textSchema = z.string({ error: 'documents must be text (a string)' });

/**
 * Splits text into chunks of at most `maxTokens`, ending at paragraph and sentence boundaries where it
 * can, with `overlapTokens` of the previous chunk repeated at the start of the next. Handles text
 * without punctuation, single sentences longer than a chunk, CJK and fenced code.
 */
export function sentenceChunker(options: SentenceChunkerOptions = {}): Chunker {
  const size = resolveChunkSize(options, 'sentenceChunker options');
  return {
    name: 'sentence',
    async chunk(text, chunkOptions): Promise<TextChunk[]> {
      const checked = parseInput(textSchema, text, 'text to chunk');
      throwIfAborted(chunkOptions?.signal, 'Chunking');
      return packChunks(checked, {
        ...size,
        tokenizer: await size.tokenizer(),
        boundaries: findBoundaries(checked),
      });
    },
  };
}
