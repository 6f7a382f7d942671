import type { Tokenizer } from '@neptune/core';

/** A piece of a document: its text is always `source.slice(start, end)`. Offsets are in UTF-16 code units. */
export interface TextChunk {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Tokens in `text` under the chunker's tokenizer; never more than its `maxTokens`. */
  readonly tokens: number;
  /** Heading path of the section the chunk comes from (markdown chunker), outermost first. */
  readonly headings?: readonly string[] | undefined;
}

/** Splits a document's text into chunks for embedding. */
export interface Chunker {
  readonly name: string;
  chunk(text: string, options?: { readonly signal?: AbortSignal | undefined }): Promise<TextChunk[]>;
}

/** How big chunks are, in tokens, and how much neighbouring chunks overlap. */
export interface ChunkSizeOptions {
  /** The tokenizer that sizes chunks, normally the embedding model's (cl100k_base for OpenAI embeddings). */
  readonly tokenizer?: Tokenizer | undefined;
  /** Largest chunk in tokens. Default 400. */
  readonly maxTokens?: number | undefined;
  /** Tokens repeated from the end of one chunk at the start of the next. Default 60; at most half of `maxTokens`. */
  readonly overlapTokens?: number | undefined;
}
