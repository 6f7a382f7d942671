export type { Analyzer } from './analysis/analyzer';
export { englishAnalyzer, standardAnalyzer } from './analysis/english-analyzer';
export { stripEnglishPossessive } from './analysis/english-possessive';
export { ENGLISH_STOP_WORDS } from './analysis/english-stop-words';
export { porterStem } from './analysis/porter-stemmer';
export { MAX_TOKEN_LENGTH, standardTokenize } from './analysis/standard-tokenizer';
export * from './chunking';
export {
  type BeirDataset,
  type BeirDocument,
  type LoadBeirDatasetOptions,
  loadBeirDataset,
  parseBeirCorpus,
  parseBeirQrels,
  parseBeirQueries,
} from './evaluation/load-beir-dataset';
export { meanOverQueries } from './evaluation/mean-over-queries';
export { mrrAtK, reciprocalRankAtK } from './evaluation/mrr-at-k';
export { meanNdcgAtK, ndcgAtK } from './evaluation/ndcg-at-k';
export type { Judgments, Qrels, Run } from './evaluation/qrels';
export { meanRecallAtK, recallAtK } from './evaluation/recall-at-k';
export * from './expansion';
export { ENGLISH_FUNCTION_WORDS } from './expansion/english-function-words';
export { type CachedEmbedder, type CachedEmbedderOptions, cachedEmbedder } from './ingestion/embedding-cache';
export type { IngestionProgress, IngestionReport, IngestOptions } from './ingestion/ingest-documents';
export type { ManifestEntry } from './ingestion/manifest';
export { RESERVED_METADATA_KEYS, type SourceDocument } from './ingestion/source-document';
export { Bm25Index } from './keyword/bm25-index';
export {
  type Bm25IndexOptions,
  type Bm25SearchOptions,
  bm25IndexOptionsSchema,
} from './keyword/bm25-index-options';
export { decodeLengthNorm, encodeLengthNorm } from './keyword/lucene-length-norm';
export { createKnowledgeBase, type KnowledgeBase, type KnowledgeBaseOptions } from './knowledge-base';
export * from './reranking';
export {
  type HybridRetrieverOptions,
  hybridRetriever,
  type RetrievalResult,
  type Retriever,
} from './retrieval/hybrid-retriever';
export type { Citation, Passage } from './retrieval/passage';
export {
  type FusedResult,
  type LegHit,
  normalizedScoreFusion,
  type RankedList,
  reciprocalRankFusion,
} from './retrieval/rank-fusion';
export { fusionDefaultsFor, MAX_QUERY_LENGTH, type RetrieveOptions } from './retrieval/retrieve-options';
