import type { Embedder, KeywordIndex, Tokenizer, VectorStore } from '@neptune/core';
import {
  hybridRetriever,
  offlineReranker,
  type RetrieveOptions,
  type Retriever,
  rm3QueryExpander,
} from '@neptune/rag';
import { memoryKeywordIndex, memoryVectorStore } from '@neptune/rag/memory';
import { batchesOf, type DocumentSource, type SearchStrategy, type SearchSystem } from './search-system';

const scope = { workspaceId: 'bench' };
const BATCH = 1_000;

/** What `createKnowledgeBase` uses with the offline embedder: score fusion, keyword 0.8 / vector 0.2. */
export const OFFLINE_HYBRID: RetrieveOptions = { fusion: 'score', keywordWeight: 0.8, vectorWeight: 0.2 };

export interface NeptuneSystemOptions {
  readonly embedder: Embedder;
  /** Counts each text's tokens at build time, as ingestion does, for the retriever's passage budget. */
  readonly tokenizer: Tokenizer;
  /**
   * `tokenizer` (default) counts as ingestion does; `estimate` stores characters / 4, for corpora whose
   * token counting would dwarf the index build being measured (the budget is unlimited here anyway).
   */
  readonly tokenCounts?: 'tokenizer' | 'estimate' | undefined;
  /** Default: `memoryVectorStore` (exact). */
  readonly vectorStore?: ((dimensions: number) => VectorStore) | undefined;
  /**
   * Default: `memoryKeywordIndex`. One with `ensureSchema` (a Postgres index) has it run, and the
   * benchmark's scope cleared, before each build.
   */
  readonly keywordIndex?: (KeywordIndex & { ensureSchema?(): Promise<void> }) | undefined;
  /** Wraps each build's writes (a Postgres index's `bulkLoad`). Default: runs them as they are. */
  readonly load?: ((writes: () => Promise<void>) => Promise<void>) | undefined;
  /** Runs after each build, before any query (a Postgres index vacuums its tables). */
  readonly afterBuild?: (() => Promise<void>) | undefined;
  /** Shown in the tables. Default `neptune`. */
  readonly name?: string | undefined;
}

/**
 * Neptune's in-memory stores (BM25 inverted index, contiguous Float32Array vectors) searched through
 * `hybridRetriever`, the call behind `knowledgeBase.retrieve`. Records carry the metadata ingestion
 * writes for a one-chunk document, so the retriever treats them exactly as ingested chunks.
 */
export function neptuneSystem(options: NeptuneSystemOptions): SearchSystem & {
  readonly tokenCountingMs: () => number;
  /**
   * The keyword and hybrid searches as an application calls `retrieve`: its defaults (candidates 50, one
   * neighbour each side) but for the top 10 and no result cache; `topK` is ignored.
   */
  readonly atDefaults: Readonly<Record<'bm25' | 'hybrid', SearchStrategy>>;
} {
  let tokenCountingMs = 0;
  const keywordIndex = options.keywordIndex ?? memoryKeywordIndex();
  const vectorStore =
    options.vectorStore?.(options.embedder.dimensions) ??
    memoryVectorStore({ dimensions: options.embedder.dimensions });
  // A store that is both (pgvectorStore) is written once: its upsert with text also indexes the keywords.
  const oneStore = (keywordIndex as unknown) === (vectorStore as unknown);
  const retriever = (extra: Partial<Parameters<typeof hybridRetriever>[0]> = {}): Retriever =>
    hybridRetriever({
      vectorStore,
      keywordIndex,
      embedder: options.embedder,
      tokenizer: options.tokenizer,
      ...extra,
    });
  const plain = retriever();
  const full = retriever({ expander: rm3QueryExpander(), reranker: offlineReranker() });

  const search =
    (target: Retriever, settings: RetrieveOptions) =>
    async (query: string, topK: number): Promise<string[]> => {
      const result = await target.retrieve(scope, query, {
        ...settings,
        topK,
        candidates: Math.max(topK, 50),
        neighbours: 0,
        maxTokens: 1_000_000_000,
        cache: false,
      });
      return result.passages.map((passage) => passage.citation.documentId);
    };

  const atDefaults =
    (settings: RetrieveOptions) =>
    async (query: string): Promise<string[]> => {
      const result = await plain.retrieve(scope, query, { ...settings, topK: 10, cache: false });
      return result.passages.map((passage) => passage.citation.documentId);
    };

  return {
    system: options.name ?? 'neptune',
    settings: [
      ...(options.keywordIndex && options.keywordIndex.name !== 'memory'
        ? [
            `${options.name ?? 'neptune'}: the keyword leg is ${options.keywordIndex.name} (BM25 in Postgres: postings, document frequencies and lengths in tables; the same analyzer, k1, b and scores as memoryKeywordIndex); ${
              oneStore
                ? `vectors in the same ${vectorStore.name} table family (one upsert with text fills both legs)`
                : 'vectors stay in memoryVectorStore'
            }`,
          ]
        : []),
      'hybridRetriever over memoryKeywordIndex (BM25, k1 0.9, b 0.4, Lucene English analyzer) and memoryVectorStore (exact cosine)',
      'hybrid: the knowledge base defaults for the offline embedder (score fusion, keyword 0.8 / vector 0.2); full adds one RM3 expansion and the offline reranker over the top 30',
    ],
    async build(source: DocumentSource) {
      tokenCountingMs = 0;
      await options.keywordIndex?.ensureSchema?.();
      await keywordIndex.clear(scope);
      const writes = async () => {
        for (const batch of batchesOf(source, BATCH)) {
          const countingStarted = performance.now();
          const metadata = batch.map((document) => ({
            documentId: document.id,
            chunkIndex: 0,
            chunkTotal: 1,
            tokenCount:
              options.tokenCounts === 'estimate'
                ? Math.ceil(document.text.length / 4)
                : options.tokenizer.count(document.text),
          }));
          tokenCountingMs += performance.now() - countingStarted;
          if (!oneStore)
            await keywordIndex.add(
              scope,
              batch.map((document, index) => ({
                id: document.id,
                text: document.text,
                metadata: metadata[index],
              })),
            );
          await vectorStore.upsert(
            scope,
            batch.map((document, index) => ({
              id: document.id,
              vector: document.vector,
              text: document.text,
              metadata: metadata[index],
            })),
          );
        }
      };
      await (options.load ? options.load(writes) : writes());
      await options.afterBuild?.();
    },
    tokenCountingMs: () => tokenCountingMs,
    strategies: {
      bm25: search(plain, { vectorWeight: 0, keywordWeight: 1 }),
      vector: search(plain, { vectorWeight: 1, keywordWeight: 0 }),
      hybrid: search(plain, OFFLINE_HYBRID),
      full: search(full, { ...OFFLINE_HYBRID, expansions: 1, rerankTopN: 30 }),
    },
    atDefaults: {
      bm25: atDefaults({ vectorWeight: 0, keywordWeight: 1 }),
      hybrid: atDefaults(OFFLINE_HYBRID),
    },
  };
}
