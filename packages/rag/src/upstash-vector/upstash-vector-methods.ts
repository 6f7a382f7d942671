import {
  DimensionMismatchError,
  type MetadataFilter,
  matchesFilter,
  metadataFilterSchema,
  parseInput,
  recordIdsSchema,
  type Scope,
  scopeKeys,
  type VectorMatch,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
  vectorQuerySchema,
  vectorRecordsSchema,
} from '@neptune/core';
import {
  inRequests,
  lastPerId,
  MAX_TOP_K,
  RECORDS_PER_REQUEST,
  toUpstashRecord,
  type UpstashContext,
} from './upstash-context';
import { upstashFilter } from './upstash-filter';
import { fromStoredMetadata } from './upstash-metadata';

export type UpstashVectorMethods = Pick<
  VectorStore,
  'upsert' | 'delete' | 'deleteWhere' | 'query' | 'get' | 'count' | 'clear'
>;

export function checkDimensions(dimensions: number, length: number, what: string): void {
  if (length === dimensions) return;
  throw new DimensionMismatchError({
    message: `upstashVectorStore was created for ${dimensions} dimensions, but ${what} has ${length}. Embed with the model the index was created for.`,
    details: { expected: dimensions, received: length },
  });
}

/** Upstash normalises every score to [0, 1]; for cosine that is (1 + cosine) / 2. */
function cosineFromScore(score: number): number {
  return Math.max(-1, Math.min(1, 2 * score - 1));
}

/** Deletes ids from one namespace, in requests of 1,000; returns how many existed. */
export async function deleteIds(
  context: UpstashContext,
  scope: Scope,
  ids: readonly string[],
): Promise<number> {
  const keys = scopeKeys(scope);
  const namespace = context.index.namespace(context.namespaces.of(scope));
  let deleted = 0;
  for (const batch of inRequests([...new Set(ids)])) {
    const result = await context.call('delete', keys, () => namespace.delete(batch));
    deleted += result.deleted;
  }
  return deleted;
}

/** The `VectorStore` methods of `upstashVectorStore`: one namespace per scope, cosine similarity. */
export function upstashVectorMethods(context: UpstashContext): UpstashVectorMethods {
  const { index, call, namespaces, dimensions } = context;

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
    async upsert(scope: Scope, records: readonly VectorRecord[]): Promise<void> {
      const keys = scopeKeys(scope);
      const namespace = index.namespace(namespaces.of(scope));
      const parsed = parseInput(vectorRecordsSchema, records, 'records passed to upstashVectorStore.upsert');
      for (const record of parsed) {
        checkDimensions(dimensions, record.vector.length, `the vector of record "${record.id}"`);
      }
      if (parsed.length === 0) return;
      await context.ready();
      const payload = lastPerId(parsed).map((record) => toUpstashRecord(context, record));
      for (const batch of inRequests(payload)) await call('upsert', keys, () => namespace.upsert(batch));
    },

    async delete(scope: Scope, ids: readonly string[]): Promise<number> {
      scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to upstashVectorStore.delete');
      return deleteIds(context, scope, parsed);
    },

    /**
     * Reads the scope's records (1,000 per request) and deletes those `matchesFilter` selects. Deleting
     * with Upstash's own filter would be one request, but it would trust the service's handling of
     * absent fields and mixed types, which it does not document; a delete cannot be taken back.
     */
    async deleteWhere(scope: Scope, filter: MetadataFilter): Promise<number> {
      const keys = scopeKeys(scope);
      const namespace = index.namespace(namespaces.of(scope));
      const parsed = parseInput(
        metadataFilterSchema,
        filter,
        'filter passed to upstashVectorStore.deleteWhere',
      );
      const matching: string[] = [];
      let cursor: string | number = '0';
      do {
        const page = await call('deleteWhere.range', keys, () =>
          namespace.range({ cursor, limit: RECORDS_PER_REQUEST, includeMetadata: true }),
        );
        for (const vector of page.vectors) {
          if (matchesFilter(fromStoredMetadata(vector.metadata), parsed)) matching.push(String(vector.id));
        }
        cursor = page.nextCursor;
      } while (cursor !== '' && cursor !== '0');
      return deleteIds(context, scope, matching);
    },

    async query(scope: Scope, query: VectorQuery): Promise<VectorMatch[]> {
      const keys = scopeKeys(scope);
      const namespace = index.namespace(namespaces.of(scope));
      const parsed = parseInput(vectorQuerySchema, query, 'query passed to upstashVectorStore.query');
      checkDimensions(dimensions, parsed.vector.length, 'the query vector');
      const filter = upstashFilter(parsed.filter);
      if (filter.kind === 'match-none') return [];
      await context.ready();
      const results = await call(
        'query',
        keys,
        () =>
          namespace.query({
            vector: Array.from(parsed.vector),
            topK: Math.min(parsed.topK, MAX_TOP_K),
            includeMetadata: true,
            includeData: true,
            ...(filter.kind === 'filter' ? { filter: filter.filter } : {}),
          }),
        (rows) => rows.length,
      );
      const minScore = parsed.minScore ?? Number.NEGATIVE_INFINITY;
      return results
        .map((result) => ({
          id: String(result.id),
          score: cosineFromScore(result.score),
          text: result.data,
          metadata: fromStoredMetadata(result.metadata),
        }))
        .filter((match) => match.score >= minScore && matchesFilter(match.metadata, parsed.filter));
    },

    async get(scope: Scope, ids: readonly string[]): Promise<VectorRecord[]> {
      const keys = scopeKeys(scope);
      const namespace = index.namespace(namespaces.of(scope));
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to upstashVectorStore.get');
      const found = new Map<string, VectorRecord>();
      for (const batch of inRequests([...new Set(parsed)])) {
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
      return parsed.flatMap((id) => found.get(id) ?? []);
    },

    async count(scope: Scope): Promise<number> {
      const name = namespaces.of(scope);
      return (await namespaceCounts()).get(name) ?? 0;
    },

    /** Deletes the scope's namespace (and, for a workspace, its users' namespaces), found by listing them. */
    async clear(scope: Scope): Promise<number> {
      const keys = scopeKeys(scope);
      const existing = await call('listNamespaces', keys, () => index.listNamespaces());
      const targets = namespaces.toClear(scope, existing);
      if (targets.length === 0) return 0;
      const counts = await namespaceCounts();
      for (const name of targets) await call('deleteNamespace', keys, () => index.deleteNamespace(name));
      return targets.reduce((total, name) => total + (counts.get(name) ?? 0), 0);
    },
  };
}
