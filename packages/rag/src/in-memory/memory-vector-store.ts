import { parseOptions, type VectorStore } from '@neptune/core';
import { z } from 'zod';
import { partitionedVectorStore } from './partitioned-vector-store';
import { VectorPartition } from './vector-partition';

const vectorStoreOptionsShape = {
  /** Length of every vector the store accepts: your embedding model's output size (e.g. 1536). */
  dimensions: z
    .number({ error: 'dimensions is required: the length of the vectors your embedder returns' })
    .int('dimensions must be a whole number')
    .positive('dimensions must be at least 1'),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const vectorStoreOptionsSchema: z.ZodObject<typeof vectorStoreOptionsShape> =
  z.object(vectorStoreOptionsShape);

/** Options of `memoryVectorStore`. */
export type MemoryVectorStoreOptions = z.input<typeof vectorStoreOptionsSchema>;

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
