import { type MetadataFilter, metadataFilterSchema, topKSchema } from '@neptune/core';
import { z } from 'zod';
import type { Analyzer } from '../analysis/analyzer';
import { englishAnalyzer } from '../analysis/english-analyzer';

/** The zod schema of a BM25 keyword index's options: analyzer, `k1`, `b` and the rest, with their defaults. */
export const bm25IndexOptionsSchema = z.object({
  /** Turns text into terms; the default reproduces Lucene's EnglishAnalyzer. */
  analyzer: z
    .custom<Analyzer>(
      (value) => typeof value === 'function',
      'analyzer must be a function (text) => string[]',
    )
    .default(() => englishAnalyzer),
  /** Term-frequency saturation. 0.9 is Anserini's default for BEIR; Lucene's own is 1.2. */
  k1: z.number().finite().min(0, 'k1 must be 0 or more').default(0.9),
  /** Length normalisation, from 0 (none) to 1 (full). 0.4 is Anserini's default; Lucene's own is 0.75. */
  b: z.number().min(0, 'b must be between 0 and 1').max(1, 'b must be between 0 and 1').default(0.4),
  /**
   * Score as Lucene does: document lengths rounded to its one-byte norm, 32-bit float arithmetic. Gives
   * the same rankings as Lucene, Elasticsearch, OpenSearch and Anserini. `false` uses exact lengths.
   */
  luceneCompatible: z.boolean().default(true),
  /**
   * Dynamic pruning (MaxScore): skip documents that cannot reach the top k, with exactly the scores and
   * ranking of a full scan. `auto` prunes when the query's posting lists hold more than 20,000 entries
   * (below that a full term-at-a-time scan is faster); `always` and `never` force one way.
   */
  pruning: z.enum(['auto', 'always', 'never']).default('auto'),
});

/** Options of `Bm25Index` (and of `memoryKeywordIndex`, which is built on it). */
export type Bm25IndexOptions = z.input<typeof bm25IndexOptionsSchema>;

/** Options of one `Bm25Index` search: how many matches, and a metadata filter. */
export interface Bm25SearchOptions {
  /** How many matches to return, at most. A positive integer. */
  readonly topK: number;
  readonly filter?: MetadataFilter | undefined;
}

export const bm25SearchOptionsSchema = z.object({
  topK: topKSchema,
  filter: metadataFilterSchema.optional(),
});
