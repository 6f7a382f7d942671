import {
  type Embedder,
  type KeywordDocument,
  type KeywordIndex,
  type KeywordMatch,
  type KeywordQuery,
  keywordDocumentsSchema,
  keywordQuerySchema,
  matchesFilter,
  parseInput,
  recordIdsSchema,
  type Scope,
  scopeKeys,
  ValidationError,
} from '@neptune/core';
import { WeightingStrategy } from '@upstash/vector';
import { querySparseVector } from './sparse-vector';
import { inRequests, lastPerId, MAX_TOP_K, toUpstashRecord, type UpstashContext } from './upstash-context';
import { upstashFilter } from './upstash-filter';
import { fromStoredMetadata } from './upstash-metadata';
import { checkDimensions, deleteIds } from './upstash-vector-methods';

export type UpstashKeywordMethods = Pick<KeywordIndex, 'add' | 'remove' | 'search'>;

export interface UpstashKeywordOptions {
  readonly idf: boolean;
  readonly embedder: Embedder | undefined;
}

/**
 * The `KeywordIndex` methods of a store on a hybrid index: the sparse half, BM25 term weights written
 * from each record's text and matched with the query's terms, IDF applied by Upstash per namespace.
 */
export function upstashKeywordMethods(
  context: UpstashContext,
  options: UpstashKeywordOptions,
): UpstashKeywordMethods {
  const { index, call, namespaces, dimensions, analyzer } = context;

  /**
   * A hybrid record needs its dense vector too: computed by the embedder when there is one, otherwise
   * kept from the record already stored (so `add()` re-indexes the text of records `upsert()` wrote).
   */
  async function denseVectors(scope: Scope, documents: readonly { id: string; text: string }[]) {
    if (options.embedder !== undefined) {
      const vectors = await options.embedder.embed(
        documents.map((document) => document.text),
        { purpose: 'document' },
      );
      vectors.forEach((vector, position) => {
        checkDimensions(dimensions, vector.length, `the embedding of document "${documents[position]!.id}"`);
      });
      return vectors;
    }
    const namespace = index.namespace(namespaces.of(scope));
    const stored = new Map<string, number[]>();
    for (const batch of inRequests(documents.map((document) => document.id))) {
      const results = await call('add.fetch', scopeKeys(scope), () =>
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

  return {
    async add(scope: Scope, documents: readonly KeywordDocument[]): Promise<void> {
      const keys = scopeKeys(scope);
      const namespace = index.namespace(namespaces.of(scope));
      const parsed = lastPerId(
        parseInput(keywordDocumentsSchema, documents, 'documents passed to upstashVectorStore.add'),
      );
      if (parsed.length === 0) return;
      await context.ready();
      const vectors = await denseVectors(scope, parsed);
      const payload = parsed.map((document, position) =>
        toUpstashRecord(context, { ...document, vector: vectors[position]! }),
      );
      for (const batch of inRequests(payload)) await call('add', keys, () => namespace.upsert(batch));
    },

    async remove(scope: Scope, ids: readonly string[]): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to upstashVectorStore.remove');
      return deleteIds(context, keys, parsed);
    },

    async search(scope: Scope, query: KeywordQuery): Promise<KeywordMatch[]> {
      const keys = scopeKeys(scope);
      const namespace = index.namespace(namespaces.of(scope));
      const parsed = parseInput(keywordQuerySchema, query, 'query passed to upstashVectorStore.search');
      const sparseVector = querySparseVector(parsed.query, analyzer);
      const filter = upstashFilter(parsed.filter);
      if (sparseVector === undefined || filter.kind === 'match-none') return [];
      const results = await call(
        'search',
        keys,
        () =>
          namespace.query({
            sparseVector,
            topK: Math.min(parsed.topK, MAX_TOP_K),
            includeMetadata: true,
            includeData: true,
            ...(options.idf ? { weightingStrategy: WeightingStrategy.IDF } : {}),
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
        .filter((match) => matchesFilter(match.metadata, parsed.filter));
    },
  };
}
