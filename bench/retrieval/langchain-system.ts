import { EnsembleRetriever } from '@langchain/classic/retrievers/ensemble';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import { Document } from '@langchain/core/documents';
import type { BaseRetriever } from '@langchain/core/retrievers';
import type { Embedder } from '@neptune/core';
import { NeptuneEmbeddings } from './langchain-embeddings';
import { batchesOf, type DocumentSource, type SearchSystem } from './search-system';

const BATCH = 1_000;

export interface LangChainSystemOptions {
  readonly embedder: Embedder;
  /** Ensemble weights [bm25, vector] for a second ensemble strategy, next to the default equal weights. */
  readonly tunedEnsembleWeights?: readonly [number, number] | undefined;
}

/**
 * LangChain.js: `BM25Retriever` (@langchain/community), `MemoryVectorStore` and `EnsembleRetriever`
 * (@langchain/classic, weighted reciprocal rank fusion, c = 60), the embeddings through a LangChain
 * `Embeddings` wrapper of the same offline embedder. BM25Retriever lower-cases the query but not the
 * documents, so the documents are given lower-cased; the ensemble merges documents by their text, so
 * both retrievers get the same lower-cased text.
 */
export function langchainSystem(options: LangChainSystemOptions) {
  const embeddings = new NeptuneEmbeddings(options.embedder);
  let keyword: BM25Retriever | undefined;
  let store: MemoryVectorStore | undefined;
  const ready = () => {
    if (!keyword || !store) throw new Error('Build the LangChain retrievers before searching them.');
    return { keyword, store };
  };
  const ids = (documents: readonly Document[]) => documents.map((document) => String(document.metadata.id));

  // Built once per depth, as an application would: each retriever fetches topK for a topK ensemble.
  const vectorRetrievers = new Map<number, BaseRetriever>();
  const vectorRetriever = (topK: number) => {
    let retriever = vectorRetrievers.get(topK);
    if (retriever === undefined) {
      retriever = ready().store.asRetriever({ k: topK });
      vectorRetrievers.set(topK, retriever);
    }
    return retriever;
  };
  const ensembles = new Map<string, EnsembleRetriever>();
  const ensemble =
    (weights: readonly [number, number] | undefined) => async (query: string, topK: number) => {
      const parts = ready();
      parts.keyword.k = topK;
      const key = `${topK}:${weights?.join('/') ?? 'default'}`;
      let retriever = ensembles.get(key);
      if (retriever === undefined) {
        retriever = new EnsembleRetriever({
          retrievers: [parts.keyword, vectorRetriever(topK)],
          ...(weights ? { weights: [...weights] } : {}),
        });
        ensembles.set(key, retriever);
      }
      return ids((await retriever.invoke(query)).slice(0, topK));
    };

  const system: SearchSystem = {
    system: 'langchain',
    settings: [
      'BM25Retriever (k1 1.2, b 0.75, whitespace tokens, substring term counts, scores every document per query) over lower-cased documents',
      'MemoryVectorStore.asRetriever (exact cosine); EnsembleRetriever: weighted RRF, c 60, default weights 0.5 / 0.5',
    ],
    async build(source: DocumentSource) {
      const documents: Document[] = [];
      vectorRetrievers.clear();
      ensembles.clear();
      store = new MemoryVectorStore(embeddings);
      for (const batch of batchesOf(source, BATCH)) {
        const batchDocuments = batch.map(
          (document) =>
            new Document({
              pageContent: document.text.toLowerCase(),
              metadata: { id: document.id },
              id: document.id,
            }),
        );
        documents.push(...batchDocuments);
        await store.addVectors(
          batch.map((document) => document.vector),
          batchDocuments,
        );
      }
      keyword = BM25Retriever.fromDocuments(documents, { k: 10 });
    },
    strategies: {
      bm25: async (query, topK) => {
        const parts = ready();
        parts.keyword.k = topK;
        return ids(await parts.keyword.invoke(query));
      },
      vector: async (query, topK) => ids(await vectorRetriever(topK).invoke(query)),
      ensemble: ensemble(undefined),
      ...(options.tunedEnsembleWeights
        ? {
            [`ensemble (bm25 ${options.tunedEnsembleWeights[0]} / vector ${options.tunedEnsembleWeights[1]})`]:
              ensemble(options.tunedEnsembleWeights),
          }
        : {}),
    },
  };
  return system;
}
