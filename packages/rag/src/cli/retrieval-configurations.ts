import type { Embedder } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { rm3QueryExpander } from '../expansion/rm3-query-expander';
import { createKnowledgeBase, type KnowledgeBase, type KnowledgeBaseOptions } from '../knowledge-base';
import { offlineReranker } from '../reranking/offline-reranker';
import type { RetrieveOptions } from '../retrieval/retrieve-options';
import type { ConfigurationStores } from './eval-stores';
import { naiveKeywordIndex } from './naive-keyword-index';

export interface ConfigurationContext {
  /** The embedder of configurations with a vector leg: offline by default, OpenAI with `OPENAI_API_KEY`. */
  readonly embedder: Embedder;
  /** The stores of `--store`, prepared for this configuration; empty for the in-memory defaults. */
  readonly stores?: ConfigurationStores | undefined;
}

export interface BuiltConfiguration {
  readonly knowledgeBase: KnowledgeBase;
  /** Passed to every `retrieve` call, over the knowledge base's own defaults. */
  readonly retrieveOptions: RetrieveOptions;
}

export interface RetrievalConfiguration {
  readonly name: string;
  readonly description: string;
  /** False for keyword-only configurations: they index with the offline embedder, never a paid model. */
  readonly usesEmbedder: boolean;
  build(context: ConfigurationContext): BuiltConfiguration;
}

/** Reranking depth: the offline reranker's defaults were chosen reranking the top 30. */
const RERANK_TOP_N = 30;
const KEYWORD_ONLY: RetrieveOptions = { vectorWeight: 0, keywordWeight: 1 };

// The evaluation measures retrieval, not the result cache: every query would be a miss anyway.
const knowledgeBase = (options: KnowledgeBaseOptions) => createKnowledgeBase({ cache: false, ...options });

const configurations: readonly RetrievalConfiguration[] = [
  {
    name: 'keyword-naive',
    description: "the plan's old fallback: count of query words contained in the text",
    usesEmbedder: false,
    build: () => ({
      knowledgeBase: knowledgeBase({ embedder: offlineEmbedder(), keywordIndex: naiveKeywordIndex() }),
      retrieveOptions: KEYWORD_ONLY,
    }),
  },
  {
    name: 'bm25',
    description: 'BM25 alone (Lucene English analyzer, k1 0.9, b 0.4)',
    usesEmbedder: false,
    build: ({ stores }) => ({
      knowledgeBase: knowledgeBase({ embedder: offlineEmbedder(), ...stores }),
      retrieveOptions: KEYWORD_ONLY,
    }),
  },
  {
    name: 'vector',
    description: 'exact cosine search over the embeddings alone',
    usesEmbedder: true,
    build: ({ embedder, stores }) => ({
      knowledgeBase: knowledgeBase({ embedder, ...stores }),
      retrieveOptions: { vectorWeight: 1, keywordWeight: 0 },
    }),
  },
  {
    name: 'hybrid',
    description: "vector + BM25 fused with the knowledge base's defaults for the embedder",
    usesEmbedder: true,
    build: ({ embedder, stores }) => ({
      knowledgeBase: knowledgeBase({ embedder, ...stores }),
      retrieveOptions: {},
    }),
  },
  {
    name: 'hybrid+expansion',
    description: 'hybrid, plus one RM3 pseudo-relevance-feedback query at half weight',
    usesEmbedder: true,
    build: ({ embedder, stores }) => ({
      knowledgeBase: knowledgeBase({ embedder, ...stores, expander: rm3QueryExpander() }),
      retrieveOptions: { expansions: 1 },
    }),
  },
  {
    name: 'hybrid+rerank',
    description: `hybrid, then the offline reranker over the top ${RERANK_TOP_N}`,
    usesEmbedder: true,
    build: ({ embedder, stores }) => ({
      knowledgeBase: knowledgeBase({ embedder, ...stores, reranker: offlineReranker() }),
      retrieveOptions: { rerankTopN: RERANK_TOP_N },
    }),
  },
  {
    name: 'full',
    description: 'hybrid + RM3 expansion + offline reranking',
    usesEmbedder: true,
    build: ({ embedder, stores }) => ({
      knowledgeBase: knowledgeBase({
        embedder,
        ...stores,
        expander: rm3QueryExpander(),
        reranker: offlineReranker(),
      }),
      retrieveOptions: { expansions: 1, rerankTopN: RERANK_TOP_N },
    }),
  },
];

/** Every configuration `neptune-eval --config` accepts, by name, in the order they are reported. */
export const RETRIEVAL_CONFIGURATIONS: ReadonlyMap<string, RetrievalConfiguration> = new Map(
  configurations.map((configuration) => [configuration.name, configuration]),
);

/** The configurations every other row is compared with. */
export const BASELINE_CONFIGURATIONS = ['keyword-naive', 'bm25'] as const;
