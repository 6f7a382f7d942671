import { type Embedder, MAX_QUERY_LENGTH, metadataFilterSchema, parseInput } from '@neptune/core';
import { z } from 'zod';

/** The longest query `retrieve` accepts: `@neptune/core`'s one limit; a longer one is a `ValidationError`. */
export { MAX_QUERY_LENGTH };

export const querySchema = z
  .string({ error: 'the query must be a string' })
  .refine((query) => query.trim() !== '', 'the query is empty: pass the user question to search for')
  .refine(
    (query) => query.length <= MAX_QUERY_LENGTH,
    `the query is over ${MAX_QUERY_LENGTH} characters: search with the question, not a whole document`,
  );

const retrieveOptionsShape = {
  /** Passages returned, at most. Default 8. */
  topK: z.number().int().min(1).max(200).default(8),
  /**
   * Leaves out passages less relevant than this share of the best one (0 keeps all `topK`). Relevance is
   * measured the same way whatever the fusion: each leg's score over that leg's best, weighted by the
   * leg's weight (the reranker's score over its best when reranking ran), so 0.5 means "at least half as
   * relevant as the top passage" under rank fusion and score fusion alike.
   */
  minRelativeScore: z.number().min(0).max(1).default(0),
  /** Results taken from each leg before fusion. Default 50. */
  candidates: z.number().int().min(1).max(1000).default(50),
  /** Only chunks whose metadata matches every field: `{ source: 'crm' }`, `{ year: { $gte: 2024 } }`; `$or` for alternatives. */
  filter: metadataFilterSchema.optional(),
  /**
   * How the vector and keyword legs are combined: `rrf` (reciprocal rank fusion, the default) or `score`
   * (each leg's scores over its best, weighted).
   */
  fusion: z.enum(['rrf', 'score']).default('rrf'),
  /** The vector leg's weight in fusion (0 to 1). Default 0.7 (0.2 with the offline embedder). */
  vectorWeight: z.number().min(0).max(1).default(0.7),
  /** The keyword leg's weight in fusion (0 to 1). Default 0.3 (0.8 with the offline embedder). */
  keywordWeight: z.number().min(0).max(1).default(0.3),
  /** The `k` of reciprocal rank fusion: larger flattens the difference between ranks. Default 60. */
  rrfK: z.number().int().min(1).default(60),
  /** Variations to ask the expander for; 0 (the default) turns expansion off. */
  expansions: z.number().int().min(0).max(10).default(0),
  /** Candidates sent to the reranker; 0 (the default) turns reranking off. */
  rerankTopN: z.number().int().min(0).max(200).default(0),
  /** Chunks added on each side of a hit. Default 1. */
  neighbours: z.number().int().min(0).max(5).default(1),
  /** Token budget of all passages together, neighbours included. Default 3,000. */
  maxTokens: z.number().int().min(1).default(3000),
  /** Give up on the embedder after this long, in ms, and answer from keywords alone. Default 5,000. */
  embedTimeoutMs: z.number().int().min(1).default(5000),
  /** Stops the retrieval (it then rejects with `AbortError`). */
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
  /** Correlates the `retrieval-end` event with the rest of the request's. */
  requestId: z.string().optional(),
  /** Use the result cache (when the retriever has one). Default true. */
  cache: z.boolean().default(true),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
export const retrieveOptionsSchema: z.ZodObject<typeof retrieveOptionsShape> = z.object(retrieveOptionsShape);

/** Options of `retrieve`. */
export type RetrieveOptions = z.input<typeof retrieveOptionsSchema>;
export type ResolvedRetrieveOptions = z.output<typeof retrieveOptionsSchema>;

/**
 * Fusion defaults that suit the embedder. The plan's vector 0.7 / keyword 0.3 with rank fusion assumes a
 * semantic embedder; the offline embedder's hashed features are a weak semantic signal and BM25 a strong
 * one, so with it keyword 0.8 / vector 0.2 with score fusion, which measured best on SciFact (nDCG@10
 * 0.685 against 0.596). Options passed to a call win.
 */
export function fusionDefaultsFor(embedder: Pick<Embedder, 'provider'>): RetrieveOptions {
  return embedder.provider === 'offline' ? { vectorWeight: 0.2, keywordWeight: 0.8, fusion: 'score' } : {};
}

/**
 * A call's options with every default filled in: the embedder's fusion defaults, then the schema's. What
 * the retriever searches with, and what the knowledge base keys its result cache on, so the two agree.
 */
export function resolveRetrieveOptions(
  embedder: Pick<Embedder, 'provider'>,
  options: RetrieveOptions | undefined,
): ResolvedRetrieveOptions {
  const given = Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
  return parseInput(retrieveOptionsSchema, { ...fusionDefaultsFor(embedder), ...given }, 'retrieve options');
}
