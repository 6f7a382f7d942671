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

export type { ChunkSizeOptions } from './chunk-options';
