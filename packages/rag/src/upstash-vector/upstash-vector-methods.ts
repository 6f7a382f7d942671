import {
  DimensionMismatchError,
  matchesFilter,
  type ScopeKeys,
  type VectorDriver,
  type VectorRecord,
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

/** The methods of the `VectorDriver` of `upstashVectorStore`. */
export type UpstashVectorMethods = Omit<VectorDriver, 'name' | 'label' | 'dimensions' | 'capabilities'>;

/** What a dimension mismatch advises: an Upstash index's dimension is fixed when it is created. */
export const UPSTASH_DIMENSION_ADVICE = () => 'Embed with the model the index was created for.';

export function checkDimensions(dimensions: number, length: number, what: string): void {
  if (length === dimensions) return;
  throw new DimensionMismatchError({
    message: `upstashVectorStore was created for ${dimensions} dimensions, but ${what} has ${length}. ${UPSTASH_DIMENSION_ADVICE()}`,
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
  keys: ScopeKeys,
  ids: readonly string[],
): Promise<number> {
  const namespace = context.index.namespace(context.namespaces.of(keys.scope));
  let deleted = 0;
  for (const batch of inRequests([...new Set(ids)])) {
    const result = await context.call('delete', keys, () => namespace.delete(batch));
    deleted += result.deleted;
  }
  return deleted;
}

/** The driver methods of `upstashVectorStore`: one namespace per scope, cosine similarity. Input arrives checked by `defineVectorStore`. */
export function upstashVectorMethods(context: UpstashContext): UpstashVectorMethods {
  const { index, call, namespaces } = context;

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
    async upsert(keys, records) {
      const namespace = index.namespace(namespaces.of(keys.scope));
      await context.ready();
      const payload = lastPerId(records).map((record) => toUpstashRecord(context, record));
      for (const batch of inRequests(payload)) await call('upsert', keys, () => namespace.upsert(batch));
    },

    async delete(keys, ids) {
      return deleteIds(context, keys, ids);
    },

    /**
     * Reads the scope's records (1,000 per request) and deletes those `matchesFilter` selects. Deleting
     * with Upstash's own filter would be one request, but it would trust the service's handling of
     * absent fields and mixed types, which it does not document; a delete cannot be taken back.
     */
    async deleteWhere(keys, filter) {
      const namespace = index.namespace(namespaces.of(keys.scope));
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
      return deleteIds(context, keys, matching);
    },

    async query(keys, parsed) {
      const namespace = index.namespace(namespaces.of(keys.scope));
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

    async get(keys, parsed) {
      const namespace = index.namespace(namespaces.of(keys.scope));
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

    async count(keys) {
      const name = namespaces.of(keys.scope);
      return (await namespaceCounts()).get(name) ?? 0;
    },

    /** Deletes the scope's namespace (and, for a workspace, its users' namespaces), found by listing them. */
    async clear(keys) {
      const existing = await call('listNamespaces', keys, () => index.listNamespaces());
      const targets = namespaces.toClear(keys.scope, existing);
      if (targets.length === 0) return 0;
      const counts = await namespaceCounts();
      for (const name of targets) await call('deleteNamespace', keys, () => index.deleteNamespace(name));
      return targets.reduce((total, name) => total + (counts.get(name) ?? 0), 0);
    },
  };
}
