import {
  DimensionMismatchError,
  type MetadataFilter,
  metadataFilterSchema,
  normalizeInPlace,
  parseInput,
  parseOptions,
  type Scope,
  scopeKeys,
  type VectorMatch,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
} from '@neptune/core';
import { freezeMetadata } from '../keyword/freeze-metadata';
import { recordIdsSchema } from '../keyword/keyword-input-schemas';
import { ScopedPartitions } from './scoped-partitions';
import { vectorQuerySchema, vectorRecordsSchema, vectorStoreOptionsSchema } from './vector-input-schemas';
import { VectorPartition } from './vector-partition';

export interface MemoryVectorStoreOptions {
  /** Length of every vector the store accepts: your embedding model's output size (e.g. 1536). */
  readonly dimensions: number;
}

function checkDimensions(dimensions: number, length: number, what: string): void {
  if (length === dimensions) return;
  throw new DimensionMismatchError({
    message: `memoryVectorStore was created for ${dimensions} dimensions, but ${what} has ${length}. Embed with the model the store was created for, or create the store with { dimensions: ${length} }.`,
    details: { expected: dimensions, received: length },
  });
}

/**
 * The embedded default `VectorStore`: exact cosine search over contiguous `Float32Array` rows, one
 * partition per scope. Every argument is validated before anything is written, so a rejected call
 * (`ValidationError`, `ScopeError`, `DimensionMismatchError`) leaves the store as it was.
 */
export function memoryVectorStore(options: MemoryVectorStoreOptions): VectorStore {
  const { dimensions } = parseOptions(vectorStoreOptionsSchema, options, 'memoryVectorStore options');
  const partitions = new ScopedPartitions(() => new VectorPartition(dimensions));

  return {
    name: 'memory',
    dimensions,
    capabilities: { exact: true, keyword: false },

    async upsert(scope: Scope, records: readonly VectorRecord[]): Promise<void> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(vectorRecordsSchema, records, 'records passed to memoryVectorStore.upsert');
      for (const record of parsed)
        checkDimensions(dimensions, record.vector.length, `the vector of record "${record.id}"`);
      if (parsed.length === 0) return;
      const partition = partitions.findOrCreate(keys);
      for (const { id, vector, text, metadata } of parsed) {
        partition.upsert(id, vector, text, freezeMetadata(metadata ?? {}));
      }
    },

    async delete(scope: Scope, ids: readonly string[]): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to memoryVectorStore.delete');
      const partition = partitions.find(keys);
      if (partition === undefined) return 0;
      let deleted = 0;
      for (const id of new Set(parsed)) if (partition.delete(id)) deleted++;
      partitions.pruneIfEmpty(keys);
      return deleted;
    },

    async deleteWhere(scope: Scope, filter: MetadataFilter): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(
        metadataFilterSchema,
        filter,
        'filter passed to memoryVectorStore.deleteWhere',
      );
      const partition = partitions.find(keys);
      if (partition === undefined) return 0;
      const ids = partition.idsMatching(parsed);
      for (const id of ids) partition.delete(id);
      partitions.pruneIfEmpty(keys);
      return ids.length;
    },

    async query(scope: Scope, query: VectorQuery): Promise<VectorMatch[]> {
      const keys = scopeKeys(scope);
      const { vector, topK, filter, minScore } = parseInput(
        vectorQuerySchema,
        query,
        'query passed to memoryVectorStore.query',
      );
      checkDimensions(dimensions, vector.length, 'the query vector');
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return partition.query(normalizeInPlace(Float32Array.from(vector)), topK, filter, minScore);
    },

    async get(scope: Scope, ids: readonly string[]): Promise<VectorRecord[]> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to memoryVectorStore.get');
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return parsed.flatMap((id) => partition.get(id) ?? []);
    },

    async clear(scope: Scope): Promise<number> {
      const keys = scopeKeys(scope);
      return partitions.remove(keys).reduce((total, partition) => total + partition.size, 0);
    },

    async count(scope: Scope): Promise<number> {
      return partitions.find(scopeKeys(scope))?.size ?? 0;
    },
  };
}
