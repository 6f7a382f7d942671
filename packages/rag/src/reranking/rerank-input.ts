import { z } from 'zod';
import { abortSignalSchema } from '../expansion/strategy-option-schemas';

/** Arguments of `Reranker.rerank()`, checked at the edge because rerankers are also called directly. */
export const rerankInputSchema = z.object({
  query: z
    .string()
    .refine((query) => query.trim() !== '', 'the query is empty: pass the question to rank for'),
  candidates: z.array(z.object({ id: z.string(), text: z.string(), score: z.number().optional() }), {
    error: 'candidates must be an array of { id, text, score? }',
  }),
  topN: z.number().int().min(0, 'topN must be 0 or more: how many results to return'),
  signal: abortSignalSchema.optional(),
});
