import {
  DimensionMismatchError,
  type Metadata,
  type MetadataFilter,
  metadataFilterSchema,
  normalizeInPlace,
  parseInput,
  recordIdsSchema,
  type Scope,
  scopeKeys,
  type VectorMatch,
  type VectorRecord,
  type VectorStore,
  type VectorStoreCapabilities,
  vectorQuerySchema,
  vectorRecordsSchema,
} from '@neptune/core';
import { freezeMetadata } from '../keyword/freeze-metadata';
import { ScopedPartitions } from './scoped-partitions';

/** One scope's vectors: the part that differs between the exact and the IVF store. */
export interface VectorPartitionLike {
  readonly size: number;
  upsert(
    id: string,
    vector: Float32Array | readonly number[],
    text: string | undefined,
    metadata: Metadata,
  ): void;
  delete(id: string): boolean;
  get(id: string): VectorRecord | undefined;
  idsMatching(filter: MetadataFilter): string[];
  query(unitQuery: Float32Array, topK: number, filter?: MetadataFilter, minScore?: number): VectorMatch[];
}

export interface PartitionedVectorStoreOptions {
  /** The factory's name, used in store names and error messages (`memoryVectorStore`). */
  readonly factoryName: string;
  readonly name: string;
  readonly dimensions: number;
  readonly capabilities: VectorStoreCapabilities;
  readonly createPartition: () => VectorPartitionLike;
}

/**
 * The scoped, validated `VectorStore` around per-scope partitions: every argument is checked before
 * anything is written, so a rejected call (`ValidationError`, `ScopeError`, `DimensionMismatchError`)
 * leaves the store as it was. The exact and the IVF memory stores differ only in their partitions.
 */
export function partitionedVectorStore(options: PartitionedVectorStoreOptions): VectorStore {
  const { factoryName, dimensions } = options;
  const partitions = new ScopedPartitions(options.createPartition);

  function checkDimensions(length: number, what: string): void {
    if (length === dimensions) return;
    throw new DimensionMismatchError({
      message: `${factoryName} was created for ${dimensions} dimensions, but ${what} has ${length}. Embed with the model the store was created for, or create the store with { dimensions: ${length} }.`,
      details: { expected: dimensions, received: length },
    });
  }

  return {
    name: options.name,
    dimensions,
    capabilities: options.capabilities,

    async upsert(scope: Scope, records: readonly VectorRecord[]): Promise<void> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(vectorRecordsSchema, records, `records passed to ${factoryName}.upsert`);
      for (const record of parsed)
        checkDimensions(record.vector.length, `the vector of record "${record.id}"`);
      if (parsed.length === 0) return;
      const partition = partitions.findOrCreate(keys);
      for (const { id, vector, text, metadata } of parsed) {
        partition.upsert(id, vector, text, freezeMetadata(metadata ?? {}));
      }
    },

    async delete(scope: Scope, ids: readonly string[]): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, `ids passed to ${factoryName}.delete`);
      const partition = partitions.find(keys);
      if (partition === undefined) return 0;
      let deleted = 0;
      for (const id of new Set(parsed)) if (partition.delete(id)) deleted++;
      partitions.pruneIfEmpty(keys);
      return deleted;
    },

    async deleteWhere(scope: Scope, filter: MetadataFilter): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(metadataFilterSchema, filter, `filter passed to ${factoryName}.deleteWhere`);
      const partition = partitions.find(keys);
      if (partition === undefined) return 0;
      const ids = partition.idsMatching(parsed);
      for (const id of ids) partition.delete(id);
      partitions.pruneIfEmpty(keys);
      return ids.length;
    },

    async query(scope, query): Promise<VectorMatch[]> {
      const keys = scopeKeys(scope);
      const { vector, topK, filter, minScore } = parseInput(
        vectorQuerySchema,
        query,
        `query passed to ${factoryName}.query`,
      );
      checkDimensions(vector.length, 'the query vector');
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return partition.query(normalizeInPlace(Float32Array.from(vector)), topK, filter, minScore);
    },

    async get(scope: Scope, ids: readonly string[]): Promise<VectorRecord[]> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, `ids passed to ${factoryName}.get`);
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return parsed.flatMap((id) => partition.get(id) ?? []);
    },

    async clear(scope: Scope): Promise<number> {
      return partitions.remove(scopeKeys(scope)).reduce((total, partition) => total + partition.size, 0);
    },

    async count(scope: Scope): Promise<number> {
      return partitions.find(scopeKeys(scope))?.size ?? 0;
    },
  };
}
