import { parseOptions, type VectorStore } from '@neptune/core';
import { partitionedVectorStore } from './partitioned-vector-store';
import { vectorStoreOptionsSchema } from './vector-input-schemas';
import { VectorPartition } from './vector-partition';

/** Options of `memoryVectorStore`. */
export interface MemoryVectorStoreOptions {
  /** Length of every vector the store accepts: your embedding model's output size (e.g. 1536). */
  readonly dimensions: number;
}

/**
 * The embedded default `VectorStore`: exact cosine search over contiguous `Float32Array` rows, one
 * partition per scope. Every argument is validated before anything is written, so a rejected call
 * (`ValidationError`, `ScopeError`, `DimensionMismatchError`) leaves the store as it was.
 */
export function memoryVectorStore(options: MemoryVectorStoreOptions): VectorStore {
  const { dimensions } = parseOptions(vectorStoreOptionsSchema, options, 'memoryVectorStore options');
  return partitionedVectorStore({
    factoryName: 'memoryVectorStore',
    name: 'memory',
    dimensions,
    capabilities: { exact: true, keyword: false },
    createPartition: () => new VectorPartition(dimensions),
  });
}
