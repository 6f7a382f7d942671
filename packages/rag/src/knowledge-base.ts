import { type Cache, createCache, memoryKeyValueStore } from '@neptune/cache';
import {
  AbortError,
  defaultTelemetry,
  type Embedder,
  type KeyValueStore,
  type KeywordIndex,
  parseInput,
  parseOptions,
  type QueryExpander,
  type Reranker,
  type Scope,
  sha256Hex,
  stableStringify,
  type Tokenizer,
  telemetryChannelSchema,
  throwIfAborted,
  type VectorStore,
  validateScope,
} from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { z } from 'zod';
import type { Chunker } from './chunking/chunk';
import { DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS } from './chunking/chunk-options';
import { markdownChunker } from './chunking/markdown-chunker';
import { sentenceChunker } from './chunking/sentence-chunker';
import { memoryKeywordIndex } from './in-memory/memory-keyword-index';
import { memoryVectorStore } from './in-memory/memory-vector-store';
import { cachedEmbedder } from './ingestion/embedding-cache';
import {
  type IngestionPipeline,
  type IngestionReport,
  type IngestOptions,
  ingestDocuments,
  removeDocuments,
} from './ingestion/ingest-documents';
import { DocumentManifest } from './ingestion/manifest';
import { type SourceDocument, sourceDocumentsSchema } from './ingestion/source-document';
import {
  emitRetrievalEnd,
  type HybridSearch,
  hybridSearch,
  type RetrievalResult,
} from './retrieval/hybrid-retriever';
import { querySchema, type RetrieveOptions, resolveRetrieveOptions } from './retrieval/retrieve-options';

/** An object with the named methods: the check for the parts an app passes in. */
const partWith = <T>(what: string, methods: readonly string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    `must be ${what} (with ${methods.join(', ')})`,
  );

const optionsShape = {
  /** Default: the offline embedder (no key, no network). */
  embedder: partWith<Embedder>('an Embedder', ['embed']).optional(),
  /** Default: the in-memory vector store, sized for the embedder. */
  vectorStore: partWith<VectorStore>('a VectorStore', ['upsert', 'query']).optional(),
  /** Default: the vector store when it indexes keywords itself (pgvector, Upstash hybrid), else in-memory BM25. */
  keywordIndex: partWith<KeywordIndex>('a KeywordIndex', ['add', 'search']).optional(),
  /** Keeps the record of indexed documents and the embedding cache. Default: in memory. */
  store: partWith<KeyValueStore>('a KeyValueStore', ['get', 'set']).optional(),
  /** Caches retrieval results per scope, query and options; invalidated when the scope's corpus changes. */
  cache: z.union([partWith<Cache>('a Cache from createCache()', ['getOrSet']), z.literal(false)]).optional(),
  /** Chunker for every document; default: markdown chunker for `format: 'markdown'`, else the sentence chunker. */
  chunker: partWith<Chunker>('a Chunker', ['chunk']).optional(),
  /** The largest chunk, in tokens (at least 16). Default 400. */
  maxChunkTokens: z.number().int().min(16).default(DEFAULT_MAX_TOKENS),
  /** Tokens repeated from the end of one chunk at the start of the next. Default 60. */
  overlapTokens: z.number().int().min(0).default(DEFAULT_OVERLAP_TOKENS),
  /** Sizes chunks and passages. Default cl100k_base, the encoding of OpenAI's embedding models. */
  tokenizer: partWith<Tokenizer>('a Tokenizer', ['count']).optional(),
  /** Rewrites a query into variations searched too (`retrieve({ expansions })`). Default: none. */
  expander: partWith<QueryExpander>('a QueryExpander', ['expand']).optional(),
  /** Reorders the fused candidates (`retrieve({ rerankTopN })`). Default: none. */
  reranker: partWith<Reranker>('a Reranker', ['rerank']).optional(),
  /** Keep document and query vectors in `store`, so re-ingestion and repeated queries skip the model. Default true. */
  cacheEmbeddings: z.boolean().default(true),
  /** How long a cached retrieval result lives. Default 10 minutes. */
  resultTtlMs: z
    .number()
    .int()
    .positive()
    .default(10 * 60 * 1000),
  /**
   * Defaults for every `retrieve` call. Default: the plan's vector 0.7 / keyword 0.3 with rank fusion; with
   * the offline embedder, keyword 0.8 / vector 0.2 with score fusion, which measured best on SciFact
   * (nDCG@10 0.685 against 0.596 for 0.7/0.3): hashed features are a weak semantic signal, BM25 a strong one.
   * Checked with each call's options, when they are merged.
   */
  retrieveDefaults: z
    .custom<RetrieveOptions>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'must be an object of retrieve options',
    )
    .optional(),
  /** Texts per embedding call during ingestion. Default 256. */
  embedBatchSize: z.number().int().min(1).max(10_000).default(256),
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  telemetry: telemetryChannelSchema.optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/**
 * Options of `createKnowledgeBase`: the stores, the embedder, chunking and retrieval; every one has a working
 * default.
 */
export type KnowledgeBaseOptions = z.input<typeof optionsSchema>;

/** What `createKnowledgeBase` returns: ingestion, hybrid retrieval with citations, and erasure, per scope. */
export interface KnowledgeBase {
  readonly embedder: Embedder;
  readonly vectorStore: VectorStore;
  readonly keywordIndex: KeywordIndex | undefined;
  /** Indexes documents; safe to re-run (unchanged documents cost nothing). See `IngestOptions` for full sync. */
  ingest(
    scope: Scope,
    documents: readonly SourceDocument[],
    options?: IngestOptions,
  ): Promise<IngestionReport>;
  /** Removes documents by id with all their chunks. */
  remove(scope: Scope, documentIds: readonly string[]): Promise<{ removed: string[]; chunksDeleted: number }>;
  /** Hybrid retrieval with citations. */
  retrieve(scope: Scope, query: string, options?: RetrieveOptions): Promise<RetrievalResult>;
  /** Ids of the documents indexed in the scope. */
  documentIds(scope: Scope): Promise<string[]>;
  /**
   * Erasure: deletes everything kept for the scope (for a workspace, its users too): its chunks in the
   * vector store and keyword index, its document record, its cached document and query vectors, and its
   * cached retrieval results. Returns how many records went. It fits `memory.onErase` as it is:
   * `memory.onErase('knowledge-base', (scope) => knowledgeBase.erase(scope))`.
   */
  erase(scope: Scope): Promise<{ removed: number }>;
}

const RESULT_KIND = 'rag-results';

/** Waits for `work`, or rejects with `AbortError` as soon as the caller's signal fires. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  throwIfAborted(signal, 'retrieve');
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new AbortError({
          message: "retrieve was aborted by the caller's AbortSignal.",
          cause: signal.reason,
        }),
      );
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Carries a degraded result out of the cache's loader, so that it is answered but not cached. */
class UncachedResult extends Error {
  constructor(readonly result: RetrievalResult) {
    super('A degraded retrieval result is not cached.');
  }
}

/**
 * The whole retrieval pipeline in one object, on embedded defaults unless told otherwise: ingestion that
 * can always be re-run, hybrid retrieval, and result caching invalidated when the corpus changes. Every
 * part can be swapped (`vectorStore: pgvectorStore(...)`, `embedder: openaiEmbedder()`, ...).
 */
export function createKnowledgeBase(options: KnowledgeBaseOptions = {}): KnowledgeBase {
  const settings = parseOptions(optionsSchema, options, 'createKnowledgeBase options');
  const embedder = options.embedder ?? offlineEmbedder();
  const vectorStore = options.vectorStore ?? memoryVectorStore({ dimensions: embedder.dimensions });
  const keywordIndex =
    options.keywordIndex ?? (vectorStore.capabilities.keyword ? undefined : memoryKeywordIndex());
  // The manifest must never be evicted, so the default store is unbounded; a Redis store has no such bound anyway.
  const store =
    options.store ??
    memoryKeyValueStore({ maxEntries: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER });
  const cache =
    options.cache === false
      ? undefined
      : (options.cache ?? createCache({ store, telemetry: options.telemetry }));
  const manifest = new DocumentManifest(store);
  const tokenizer = options.tokenizer
    ? Promise.resolve(options.tokenizer)
    : createTokenizer({ encoding: 'cl100k_base' });
  const size = {
    maxTokens: settings.maxChunkTokens,
    overlapTokens: settings.overlapTokens,
    tokenizer: options.tokenizer,
  };
  const textChunker = options.chunker ?? sentenceChunker(size);
  const markdown = options.chunker ?? markdownChunker(size);
  // Fusion defaults that suit the embedder are applied by the retriever (`fusionDefaultsFor`).
  const retrieveDefaults: RetrieveOptions = options.retrieveDefaults ?? {};
  // Part of every result key: a cache shared by knowledge bases that search differently keeps them apart.
  const searchIdentity = {
    embedder: `${embedder.provider}/${embedder.model}/${embedder.dimensions}`,
    expander: options.expander?.name ?? null,
    reranker: options.reranker?.name ?? null,
  };

  // Vectors are kept under the scope they were computed for: a user's query (or document) is the
  // user's data, so erasing the user must find it under the user's scope.
  const embedderFor = (scope: Scope) =>
    settings.cacheEmbeddings ? cachedEmbedder(embedder, { store, scope }) : embedder;

  const pipelineFor = (scope: Scope): IngestionPipeline => ({
    vectorStore,
    keywordIndex,
    embedder: embedderFor(scope),
    chunkerFor: (document) => (document.format === 'markdown' ? markdown : textChunker),
    manifest,
    pipelineKey: stableStringify({
      chunker: options.chunker?.name ?? 'default',
      maxTokens: settings.maxChunkTokens,
      overlapTokens: settings.overlapTokens,
      embedder: `${embedder.provider}/${embedder.model}/${embedder.dimensions}`,
    }),
    embedBatchSize: settings.embedBatchSize,
    trustedSince,
  });

  /**
   * A persistent manifest over a vector store that lost its records (the in-memory default after a
   * restart, a cleared index) would call every document unchanged and leave the index empty. So the first
   * ingestion into a scope in this process, before it writes anything, counts the scope's records: when
   * there are none, every manifest entry written before that moment describes chunks that are gone and is
   * not trusted, in this call and in every later one, until the document is indexed again. Remembering only
   * "the store holds records" would trust the old entries again as soon as the first call re-indexed its
   * own documents. One count per scope per process; concurrent first calls share it.
   */
  const trustedSinceByScope = new Map<string, Promise<number>>();
  function trustedSince(scope: Scope): Promise<number> {
    const key = JSON.stringify([scope.workspaceId, scope.userId ?? null]);
    let since = trustedSinceByScope.get(key);
    if (since === undefined) {
      const checkedAt = Date.now();
      since = vectorStore.count(scope).then((records) => (records > 0 ? 0 : checkedAt));
      // A failed count is asked again next time rather than remembered.
      since.catch(() => trustedSinceByScope.delete(key));
      trustedSinceByScope.set(key, since);
    }
    return since;
  }

  // One search for the knowledge base, built when the tokenizer is loaded; each call passes the embedder
  // for its scope.
  let searchReady: Promise<HybridSearch> | undefined;
  const search = () =>
    (searchReady ??= tokenizer.then((loaded) =>
      hybridSearch({
        vectorStore,
        keywordIndex,
        embedder,
        expander: options.expander,
        reranker: options.reranker,
        tokenizer: loaded,
        telemetry: options.telemetry,
      }),
    ));

  return {
    embedder,
    vectorStore,
    keywordIndex,

    async ingest(scopeInput, documents, ingestOptions) {
      const scope = validateScope(scopeInput);
      const checked = parseInput(sourceDocumentsSchema, documents, 'documents to ingest');
      const report = await ingestDocuments(pipelineFor(scope), scope, checked, ingestOptions);
      const changed = report.added.length + report.updated.length + report.removed.length > 0;
      // Cached answers may cite what changed: drop the scope's (and, for a workspace, its users') results.
      if (changed && cache) await cache.invalidate(scope, RESULT_KIND);
      return report;
    },

    async remove(scopeInput, documentIds) {
      const scope = validateScope(scopeInput);
      const ids = parseInput(z.array(z.string().min(1)), documentIds, 'document ids');
      const result = await removeDocuments(pipelineFor(scope), scope, ids);
      if (result.removed.length > 0 && cache) await cache.invalidate(scope, RESULT_KIND);
      return result;
    },

    async retrieve(scopeInput, query, callOptions) {
      const started = performance.now();
      // Checked once, here: the search below takes the checked scope, query and resolved options.
      const scope = validateScope(scopeInput);
      parseInput(querySchema, query, 'query');
      const resolved = resolveRetrieveOptions(embedder, { ...retrieveDefaults, ...callOptions });
      // Keyed on the resolved options, so two calls share an entry only when they search the same way.
      const { signal, requestId, cache: useCache, ...cacheable } = resolved;
      if (!cache || useCache === false)
        return (await search())(scope, query, resolved, embedderFor(scope), started);
      const key = {
        kind: RESULT_KIND,
        id: await sha256Hex(stableStringify({ query, options: cacheable, pipeline: searchIdentity })),
      };
      let searched = false;
      let result: RetrievalResult;
      try {
        // The cache's own single-flight: concurrent identical questions (here and in other processes)
        // search once. A result too large to cache is still the answer; the cache reports it.
        // The shared search must not end when one of the callers waiting on it aborts: it runs without
        // a caller's signal, and each caller stops waiting on its own.
        const shared = { ...resolved, signal: undefined, cache: false };
        const cached = cache.getOrSet<RetrievalResult>(
          scope,
          key,
          async () => {
            searched = true;
            const fresh = await (await search())(scope, query, shared, embedderFor(scope));
            // A degraded answer (a leg failed) is not worth remembering: the next call may do better.
            if (fresh.degraded.length > 0) throw new UncachedResult(fresh);
            return fresh;
          },
          // No grace: a result past its TTL is searched again, never served stale.
          { ttlMs: settings.resultTtlMs, graceMs: 0 },
        );
        result = await untilAborted(cached, signal);
      } catch (error) {
        if (error instanceof UncachedResult) return error.result;
        throw error;
      }
      if (searched) return result;
      // Reported like a search, so that retrieval metrics count cached answers and their speed.
      emitRetrievalEnd(options.telemetry ?? defaultTelemetry(), {
        scope,
        requestId,
        durationMs: performance.now() - started,
        results: result.passages.length,
        legs: result.legs,
        cached: true,
      });
      return { ...result, cached: true };
    },

    async documentIds(scopeInput) {
      const scope = validateScope(scopeInput);
      const ids: string[] = [];
      for await (const id of manifest.documentIds(scope)) ids.push(id);
      return ids.sort();
    },

    async erase(scopeInput) {
      const scope = validateScope(scopeInput);
      trustedSinceByScope.clear();
      // First, so that an in-process memory tier drops its results too; the stamp it writes goes below.
      if (cache) await cache.invalidate(scope, RESULT_KIND);
      const counts = await Promise.all([
        vectorStore.clear(scope),
        keywordIndex?.clear(scope) ?? 0,
        // The manifest and cached vectors; the result cache too when it shares the store.
        store.clear(scope),
        cache !== undefined && cache.store !== store ? cache.store.clear(scope) : 0,
      ]);
      return { removed: counts.reduce((sum, count) => sum + count, 0) };
    },
  };
}
