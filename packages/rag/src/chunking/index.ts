export type { Chunker, ChunkSizeOptions, TextChunk } from './chunk';
export { DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS } from './chunk-options';
export { type MarkdownChunkerOptions, markdownChunker, markdownSections } from './markdown-chunker';
export { type SemanticChunkerOptions, semanticChunker } from './semantic-chunker';
export { type SentenceChunkerOptions, sentenceChunker } from './sentence-chunker';
