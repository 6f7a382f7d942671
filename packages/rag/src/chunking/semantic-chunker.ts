import { dot, type Embedder, parseInput, parseOptions, throwIfAborted } from '@neptune/core';
import { z } from 'zod';
import type { Chunker, ChunkSizeOptions, TextChunk } from './chunk';
import { resolveChunkSize } from './chunk-options';
import { packChunks } from './pack-chunks';
import { textSchema } from './sentence-chunker';
import { BoundaryLevel, findBoundaries } from './text-boundaries';

const semanticShape = {
  /** Embeds the sentences to compare: normally the knowledge base's own embedder. */
  embedder: z.custom<Embedder>(
    (value) => typeof value === 'object' && value !== null && typeof (value as Embedder).embed === 'function',
    'must be an Embedder',
  ),
  /**
   * A split is made where the distance between neighbouring sentences is above this percentile of all
   * such distances in the document. Default 90: about one split per ten sentences, at the sharpest turns.
   */
  breakpointPercentile: z.number().min(1).max(99).default(90),
  /** Sentences on each side compared at every gap, to smooth over one odd sentence. Default 1. */
  windowSentences: z.number().int().min(1).max(5).default(1),
  /** Groups smaller than this many tokens are merged into a neighbour. Default a quarter of `maxTokens`. */
  minTokens: z.number().int().min(0).optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const semanticSchema: z.ZodObject<typeof semanticShape> = z.object(semanticShape);

/** Options of `semanticChunker`: the embedder that compares sentences, where to split, and the chunk size. */
export type SemanticChunkerOptions = ChunkSizeOptions & z.input<typeof semanticSchema>;

function percentile(values: readonly number[], rank: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((rank / 100) * sorted.length))] ?? 0;
}

/** The normalised mean of some unit vectors: the direction of a few sentences together. */
function centroid(vectors: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(vectors[0]!.length);
  for (const vector of vectors)
    for (let index = 0; index < sum.length; index++) sum[index]! += vector[index]!;
  const norm = Math.sqrt(dot(sum, sum)) || 1;
  for (let index = 0; index < sum.length; index++) sum[index]! /= norm;
  return sum;
}

/**
 * Splits where the text changes subject: sentences are embedded, and a chunk ends at the gaps where
 * neighbouring sentences are least alike. Groups over `maxTokens` are packed by the sentence rules (with
 * overlap); tiny groups join a neighbour. One embedding call per document, batched by the embedder.
 */
export function semanticChunker(options: SemanticChunkerOptions): Chunker {
  const size = resolveChunkSize(options, 'semanticChunker options');
  const { embedder, breakpointPercentile, windowSentences, minTokens } = parseOptions(
    semanticSchema,
    options,
    'semanticChunker options',
  );
  const smallest = minTokens ?? Math.floor(size.maxTokens / 4);
  return {
    name: 'semantic',
    async chunk(text, chunkOptions): Promise<TextChunk[]> {
      const checked = parseInput(textSchema, text, 'text to chunk');
      throwIfAborted(chunkOptions?.signal, 'Chunking');
      const tokenizer = await size.tokenizer();
      const packing = { ...size, tokenizer };
      const boundaries = findBoundaries(checked);
      const cuts = [0];
      boundaries.positions.forEach((position, index) => {
        if (boundaries.levels[index]! >= BoundaryLevel.Sentence) cuts.push(position);
      });
      cuts.push(checked.length);
      const sentences = cuts
        .slice(0, -1)
        .map((start, index) => ({ start, end: cuts[index + 1]! }))
        .filter((sentence) => checked.slice(sentence.start, sentence.end).trim() !== '');
      if (sentences.length <= 2) return packChunks(checked, { ...packing, boundaries });

      const vectors = await embedder.embed(
        sentences.map((sentence) => checked.slice(sentence.start, sentence.end)),
        { signal: chunkOptions?.signal },
      );
      const distances = sentences.slice(1).map((_, gap) => {
        const before = vectors.slice(Math.max(0, gap + 1 - windowSentences), gap + 1);
        const after = vectors.slice(gap + 1, gap + 1 + windowSentences);
        return 1 - dot(centroid(before), centroid(after));
      });
      const threshold = percentile(distances, breakpointPercentile);

      const groups: Array<{ start: number; end: number }> = [];
      let groupStart = sentences[0]!.start;
      distances.forEach((distance, gap) => {
        if (distance > threshold) {
          groups.push({ start: groupStart, end: sentences[gap + 1]!.start });
          groupStart = sentences[gap + 1]!.start;
        }
      });
      groups.push({ start: groupStart, end: checked.length });

      // Join groups that are too small to stand alone to the previous one while the result still fits.
      const merged: Array<{ start: number; end: number }> = [];
      for (const group of groups) {
        const previous = merged.at(-1);
        const tokens = tokenizer.count(checked.slice(group.start, group.end));
        if (
          previous &&
          tokens < smallest &&
          tokenizer.count(checked.slice(previous.start, group.end)) <= size.maxTokens
        ) {
          previous.end = group.end;
        } else merged.push({ ...group });
      }
      return merged.flatMap((group) =>
        packChunks(checked, { ...packing, boundaries, start: group.start, end: group.end }),
      );
    },
  };
}
