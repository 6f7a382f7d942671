export type { Analyzer } from './analysis/analyzer';
export { englishAnalyzer, standardAnalyzer } from './analysis/english-analyzer';
export { stripEnglishPossessive } from './analysis/english-possessive';
export { ENGLISH_STOP_WORDS } from './analysis/english-stop-words';
export { porterStem } from './analysis/porter-stemmer';
export { MAX_TOKEN_LENGTH, standardTokenize } from './analysis/standard-tokenizer';
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
export { Bm25Index } from './keyword/bm25-index';
export {
  type Bm25IndexOptions,
  type Bm25SearchOptions,
  bm25IndexOptionsSchema,
} from './keyword/bm25-index-options';
export { decodeLengthNorm, encodeLengthNorm } from './keyword/lucene-length-norm';
