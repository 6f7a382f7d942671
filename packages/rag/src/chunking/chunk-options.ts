import { parseOptions, type Tokenizer } from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import { z } from 'zod';

/** A chunk's size in tokens when `maxTokens` is not given. */
export const DEFAULT_MAX_TOKENS = 400;
/** Tokens shared by consecutive chunks when `overlapTokens` is not given. */
export const DEFAULT_OVERLAP_TOKENS = 60;

const sizeShape = {
  /** The tokenizer that sizes chunks, normally the embedding model's (cl100k_base for OpenAI embeddings). */
  tokenizer: z
    .custom<Tokenizer>(
      (value) =>
        typeof value === 'object' && value !== null && typeof (value as Tokenizer).count === 'function',
      'must be a Tokenizer (from @neptune/core/tokenizer)',
    )
    .optional(),
  /** Largest chunk in tokens. Default 400. */
  maxTokens: z.number().int().min(16, 'must be at least 16 tokens').max(100_000).default(DEFAULT_MAX_TOKENS),
  /** Tokens repeated from the end of one chunk at the start of the next. Default 60; at most half of `maxTokens`. */
  overlapTokens: z.number().int().min(0).optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const sizeObjectSchema: z.ZodObject<typeof sizeShape> = z.object(sizeShape);

/** How big chunks are, in tokens, and how much neighbouring chunks overlap. */
export type ChunkSizeOptions = z.input<typeof sizeObjectSchema>;

const sizeSchema = sizeObjectSchema
  .transform((value) => ({
    ...value,
    overlapTokens: value.overlapTokens ?? Math.min(DEFAULT_OVERLAP_TOKENS, Math.floor(value.maxTokens / 4)),
  }))
  .refine((value) => value.overlapTokens <= value.maxTokens / 2, {
    message: 'overlapTokens must be at most half of maxTokens, or every chunk would mostly repeat the last',
    path: ['overlapTokens'],
  });

export interface ResolvedChunkSize {
  /** The tokenizer, loaded on first use (the default encoding's tables load lazily). */
  readonly tokenizer: () => Promise<Tokenizer>;
  readonly maxTokens: number;
  readonly overlapTokens: number;
}

/** Validates size options; the default tokenizer is cl100k_base, the encoding of OpenAI's embedding models. */
export function resolveChunkSize(options: ChunkSizeOptions | undefined, what: string): ResolvedChunkSize {
  const { tokenizer, ...parsed } = parseOptions(sizeSchema, options ?? {}, what);
  return {
    ...parsed,
    tokenizer: tokenizer ? async () => tokenizer : () => createTokenizer({ encoding: 'cl100k_base' }),
  };
}
