import {
  defineVectorStore,
  type Metadata,
  type MetadataFilter,
  normalizeInPlace,
  type VectorMatch,
  type VectorRecord,
  type VectorStore,
  type VectorStoreCapabilities,
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
 * The in-memory `VectorStore` around per-scope partitions: a `VectorDriver` for `defineVectorStore`, which
 * checks the scope and every argument before the driver runs, so a rejected call (`ValidationError`,
 * `ScopeError`, `DimensionMismatchError`) leaves the store as it was. The exact and the IVF memory stores
 * differ only in their partitions.
 */
export function partitionedVectorStore(options: PartitionedVectorStoreOptions): VectorStore {
  const partitions = new ScopedPartitions(options.createPartition);
  return defineVectorStore({
    name: options.name,
    label: options.factoryName,
    dimensions: options.dimensions,
    capabilities: options.capabilities,

    async upsert(keys, records) {
      const partition = partitions.findOrCreate(keys);
      for (const { id, vector, text, metadata } of records) {
        partition.upsert(id, vector, text, freezeMetadata(metadata ?? {}));
      }
    },

    async delete(keys, ids) {
      const partition = partitions.find(keys);
      if (partition === undefined) return 0;
      let deleted = 0;
      for (const id of ids) if (partition.delete(id)) deleted++;
      partitions.pruneIfEmpty(keys);
      return deleted;
    },

    async deleteWhere(keys, filter) {
      const partition = partitions.find(keys);
      if (partition === undefined) return 0;
      const ids = partition.idsMatching(filter);
      for (const id of ids) partition.delete(id);
      partitions.pruneIfEmpty(keys);
      return ids.length;
    },

    async query(keys, { vector, topK, filter, minScore }) {
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return partition.query(normalizeInPlace(Float32Array.from(vector)), topK, filter, minScore);
    },

    async get(keys, ids) {
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return ids.flatMap((id) => partition.get(id) ?? []);
    },

    async clear(keys) {
      return partitions.remove(keys).reduce((total, partition) => total + partition.size, 0);
    },

    async count(keys) {
      return partitions.find(keys)?.size ?? 0;
    },
  });
}
