import {
  DimensionMismatchError,
  defineKeywordIndex,
  defineVectorStore,
  type Embedder,
  type KeywordDriver,
  type KeywordIndex,
  matchesFilter,
  type ScopeKeys,
  ValidationError,
  type VectorDriver,
  type VectorRecord,
  type VectorStore,
} from '@neptune/core';
import { type Index, WeightingStrategy } from '@upstash/vector';
import { englishAnalyzer } from '../analysis/english-analyzer';
import { querySparseVector } from './sparse-vector';
import { upstashCalls } from './upstash-calls';
import {
  inRequests,
  MAX_TOP_K,
  RECORDS_PER_REQUEST,
  toUpstashRecord,
  type UpstashContext,
  upstashReadiness,
} from './upstash-context';
import { upstashFilter } from './upstash-filter';
import { fromStoredMetadata } from './upstash-metadata';
import { upstashNamespaces } from './upstash-namespaces';
import { type UpstashVectorStoreOptions, upstashVectorSettings } from './upstash-vector-options';

export type { UpstashVectorStoreOptions } from './upstash-vector-options';

/** A `VectorStore` on Upstash Vector, exposing its `@upstash/vector` client. */
export interface UpstashVectorStore extends VectorStore {
  readonly name: 'upstash-vector';
  readonly index: Index;
}

/** On a hybrid index the store is also a `KeywordIndex` over the same records. */
export interface UpstashHybridVectorStore extends UpstashVectorStore, KeywordIndex {
  readonly name: 'upstash-vector';
}

/** What a dimension mismatch advises: an Upstash index's dimension is fixed when it is created. */
function dimensionAdvice(): string {
  return 'Embed with the model the index was created for.';
}

/** Upstash normalises every score to [0, 1]; for cosine that is (1 + cosine) / 2. */
function cosineFromScore(score: number): number {
  return Math.max(-1, Math.min(1, 2 * score - 1));
}

/** Deletes ids from one namespace, in requests of 1,000; returns how many existed. */
async function deleteIds(context: UpstashContext, keys: ScopeKeys, ids: readonly string[]): Promise<number> {
  const namespace = context.index.namespace(context.namespaces.of(keys));
  let deleted = 0;
  for (const batch of inRequests(ids)) {
    const result = await context.call('delete', keys, () => namespace.delete(batch));
    deleted += result.deleted;
  }
  return deleted;
}

/**
 * A hybrid record needs its dense vector too: computed by the embedder when there is one (its length
 * checked, since the embedder is not the caller's input), otherwise kept from the record already stored,
 * so `add()` re-indexes the text of records `upsert()` wrote.
 */
async function denseVectors(
  context: UpstashContext,
  embedder: Embedder | undefined,
  keys: ScopeKeys,
  documents: readonly { id: string; text: string }[],
): Promise<readonly (readonly number[] | Float32Array)[]> {
  if (embedder !== undefined) {
    const vectors = await embedder.embed(
      documents.map((document) => document.text),
      { purpose: 'document' },
    );
    vectors.forEach((vector, position) => {
      if (vector.length === context.dimensions) return;
      throw new DimensionMismatchError({
        message: `upstashVectorStore was created for ${context.dimensions} dimensions, but the embedding of document "${documents[position]!.id}" has ${vector.length}. ${dimensionAdvice()}`,
        details: { expected: context.dimensions, received: vector.length },
      });
    });
    return vectors;
  }
  const namespace = context.index.namespace(context.namespaces.of(keys));
  const stored = new Map<string, number[]>();
  for (const batch of inRequests(documents.map((document) => document.id))) {
    const results = await context.call('add.fetch', keys, () =>
      namespace.fetch(batch, { includeVectors: true }),
    );
    for (const result of results) if (result?.vector) stored.set(String(result.id), result.vector);
  }
  const missing = documents.filter((document) => !stored.has(document.id)).map((document) => document.id);
  if (missing.length > 0) {
    throw new ValidationError({
      message: `upstashVectorStore.add: a hybrid index keeps a dense vector with every record, and ${missing.length} document(s) have none yet (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}). Write new records with upsert({ id, vector, text }), or create the store with an embedder.`,
      details: { missing: missing.length },
    });
  }
  return documents.map((document) => stored.get(document.id)!);
}

/**
 * The driver of `upstashVectorStore`, for both contracts: one namespace per scope, cosine similarity for
 * the dense half; on a hybrid index, BM25 term weights written from each record's text for the sparse
 * half, matched with the query's terms, IDF applied by Upstash per namespace. Input arrives checked by
 * `defineVectorStore` and `defineKeywordIndex`; the keyword methods are used only on a hybrid index.
 */
function upstashDriver(
  context: UpstashContext,
  keyword: { readonly idf: boolean; readonly embedder: Embedder | undefined },
): VectorDriver & KeywordDriver {
  const { index, call, namespaces } = context;
  const namespaceOf = (keys: ScopeKeys) => index.namespace(namespaces.of(keys));

  /** Records per namespace. A Map: a namespace named `constructor` must not read Object's members. */
  async function namespaceCounts(): Promise<Map<string, number>> {
    const info = await call('info', undefined, () => index.info());
    return new Map(
      Object.entries(info.namespaces ?? {}).map(([name, counts]) => [
        name,
        counts.vectorCount + counts.pendingVectorCount,
      ]),
    );
  }

  return {
    name: 'upstash-vector',
    label: 'upstashVectorStore',
    dimensions: context.dimensions,
    // Upstash's index is approximate; on a hybrid index the store is its own keyword index.
    capabilities: { exact: false, keyword: context.hybrid },
    dimensionAdvice,

    async upsert(keys, records) {
      const namespace = namespaceOf(keys);
      await context.ready();
      const payload = records.map((record) => toUpstashRecord(context, record));
      for (const batch of inRequests(payload)) await call('upsert', keys, () => namespace.upsert(batch));
    },

    delete: (keys, ids) => deleteIds(context, keys, ids),

    /**
     * Reads the scope's records (1,000 per request) and deletes those `matchesFilter` selects. Deleting
     * with Upstash's own filter would be one request, but it would trust the service's handling of
     * absent fields and mixed types, which it does not document; a delete cannot be taken back.
     */
    async deleteWhere(keys, filter) {
      const namespace = namespaceOf(keys);
      const matching: string[] = [];
      let cursor: string | number = '0';
      do {
        const page = await call('deleteWhere.range', keys, () =>
          namespace.range({ cursor, limit: RECORDS_PER_REQUEST, includeMetadata: true }),
        );
        for (const vector of page.vectors) {
          if (matchesFilter(fromStoredMetadata(vector.metadata), filter)) matching.push(String(vector.id));
        }
        cursor = page.nextCursor;
      } while (cursor !== '' && cursor !== '0');
      return deleteIds(context, keys, [...new Set(matching)]);
    },

    async query(keys, query) {
      const namespace = namespaceOf(keys);
      const filter = upstashFilter(query.filter);
      if (filter.kind === 'match-none') return [];
      await context.ready();
      const results = await call(
        'query',
        keys,
        () =>
          namespace.query({
            vector: Array.from(query.vector),
            topK: Math.min(query.topK, MAX_TOP_K),
            includeMetadata: true,
            includeData: true,
            ...(filter.kind === 'filter' ? { filter: filter.filter } : {}),
          }),
        (rows) => rows.length,
      );
      const minScore = query.minScore ?? Number.NEGATIVE_INFINITY;
      return results
        .map((result) => ({
          id: String(result.id),
          score: cosineFromScore(result.score),
          text: result.data,
          metadata: fromStoredMetadata(result.metadata),
        }))
        .filter((match) => match.score >= minScore && matchesFilter(match.metadata, query.filter));
    },

    async get(keys, ids) {
      const namespace = namespaceOf(keys);
      const found = new Map<string, VectorRecord>();
      for (const batch of inRequests([...new Set(ids)])) {
        const results = await call('get', keys, () =>
          namespace.fetch(batch, { includeMetadata: true, includeVectors: true, includeData: true }),
        );
        for (const result of results) {
          if (result === null) continue;
          found.set(String(result.id), {
            id: String(result.id),
            vector: Float32Array.from(result.vector ?? []),
            text: result.data,
            metadata: fromStoredMetadata(result.metadata),
          });
        }
      }
      return ids.flatMap((id) => found.get(id) ?? []);
    },

    async count(keys) {
      const name = namespaces.of(keys);
      return (await namespaceCounts()).get(name) ?? 0;
    },

    /** Deletes the scope's namespace (and, for a workspace, its users' namespaces), found by listing them. */
    async clear(keys) {
      const existing = await call('listNamespaces', keys, () => index.listNamespaces());
      const targets = namespaces.toClear(keys, existing);
      if (targets.length === 0) return 0;
      const counts = await namespaceCounts();
      for (const name of targets) await call('deleteNamespace', keys, () => index.deleteNamespace(name));
      return targets.reduce((total, name) => total + (counts.get(name) ?? 0), 0);
    },

    async add(keys, documents) {
      const namespace = namespaceOf(keys);
      await context.ready();
      const vectors = await denseVectors(context, keyword.embedder, keys, documents);
      const payload = documents.map((document, position) =>
        toUpstashRecord(context, { ...document, vector: vectors[position]! }),
      );
      for (const batch of inRequests(payload)) await call('add', keys, () => namespace.upsert(batch));
    },

    remove: (keys, ids) => deleteIds(context, keys, ids),

    async search(keys, query) {
      const namespace = namespaceOf(keys);
      const sparseVector = querySparseVector(query.query, context.analyzer);
      const filter = upstashFilter(query.filter);
      if (sparseVector === undefined || filter.kind === 'match-none') return [];
      const results = await call(
        'search',
        keys,
        () =>
          namespace.query({
            sparseVector,
            topK: Math.min(query.topK, MAX_TOP_K),
            includeMetadata: true,
            includeData: true,
            ...(keyword.idf ? { weightingStrategy: WeightingStrategy.IDF } : {}),
            ...(filter.kind === 'filter' ? { filter: filter.filter } : {}),
          }),
        (rows) => rows.length,
      );
      return results
        .map((result) => ({
          id: String(result.id),
          score: result.score,
          text: result.data,
          metadata: fromStoredMetadata(result.metadata),
        }))
        .filter((match) => matchesFilter(match.metadata, query.filter));
    },
  };
}

/**
 * Upstash Vector over its REST API (`@upstash/vector`): fetch only, so it runs on the edge runtime.
 * Every scope is one namespace (`scopeKeys(scope).namespace`), so a scope's reads, queries and deletes
 * cannot reach another's records. Metadata filters are translated into Upstash's filter syntax, and
 * results are checked against `matchesFilter` as well. Built on `defineVectorStore` (and, on a hybrid
 * index, `defineKeywordIndex`) over one driver.
 *
 * With `hybrid: true` (an index created as hybrid, without hosted embedding models) each record also
 * gets a BM25 sparse vector from its text, and the store implements `KeywordIndex`: `search()` queries
 * the sparse half with Upstash's IDF weighting.
 */
export function upstashVectorStore(
  options: UpstashVectorStoreOptions & { readonly hybrid: true },
): UpstashHybridVectorStore;
export function upstashVectorStore(options: UpstashVectorStoreOptions): UpstashVectorStore;
export function upstashVectorStore(
  options: UpstashVectorStoreOptions,
): UpstashVectorStore | UpstashHybridVectorStore {
  const settings = upstashVectorSettings(options);
  const { index } = settings;
  const call = upstashCalls(settings.telemetry, settings.slowQueryMs);
  const driver = upstashDriver(
    {
      index,
      call,
      namespaces: upstashNamespaces(settings.namespacePrefix),
      dimensions: settings.dimensions,
      hybrid: settings.hybrid,
      analyzer: settings.analyzer ?? englishAnalyzer,
      ready: upstashReadiness(index, call, settings.dimensions),
    },
    { idf: settings.idf, embedder: settings.embedder },
  );
  const store: UpstashVectorStore = { ...defineVectorStore(driver), name: 'upstash-vector', index };
  if (!settings.hybrid) return store;
  return { ...store, ...defineKeywordIndex(driver), name: 'upstash-vector' };
}
