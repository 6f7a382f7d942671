import type { Metadata } from '@neptune/core';
import type { LegHit } from './rank-fusion';

/** Where a passage comes from: the document and the passage's character offsets in it. */
export interface Citation {
  readonly documentId: string;
  readonly title: string | undefined;
  readonly source: string | undefined;
  /** Character offsets of the passage in the original document. */
  readonly start: number;
  readonly end: number;
  /** The page it is on, for a paged document (`metadata.page`: a PDF page from `loadPdf`), so an answer can say "p. 4". */
  readonly page?: number | undefined;
}

/** A retrieved passage: its text, score, how each leg ranked it, and its citation. */
export interface Passage {
  /** The id of the chunk that matched. */
  readonly id: string;
  /** The matched chunk's text, widened with its neighbours when asked. */
  readonly text: string;
  /** Final score: the reranker's when it ran, else the fused score. Higher is better. */
  readonly score: number;
  /** Rank and raw score in each leg that found it (`vector`, `keyword`). */
  readonly legs: Readonly<Record<string, LegHit>>;
  readonly rerankScore?: number | undefined;
  /** Every chunk the passage text covers, in document order. */
  readonly chunkIds: readonly string[];
  readonly citation: Citation;
  readonly metadata: Metadata;
}
