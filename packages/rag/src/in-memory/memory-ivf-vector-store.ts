import { parseOptions, type VectorStore } from '@neptune/core';
import { z } from 'zod';
import { IvfPartition } from './ivf-partition';
import { partitionedVectorStore } from './partitioned-vector-store';

/** Rows × dimensions an exact scan covers in a few milliseconds; below it, training would buy nothing. */
const EXACT_SCAN_VALUES = 4_000_000;

const optionsSchema = z.object({
  dimensions: z
    .number({ error: 'dimensions is required: the length of the vectors your embedder returns' })
    .int('dimensions must be a whole number')
    .positive('dimensions must be at least 1'),
  /** Rows a scope holds before it is clustered; until then search is exact. Default: 4,000,000 / dimensions. */
  minTrainRows: z.number().int().min(64, 'minTrainRows must be at least 64').optional(),
  /** Lists scanned per query. More is slower and closer to exact. Default: one in twelve, at least 8. */
  probes: z.number().int().positive('probes must be at least 1').optional(),
  seed: z.number().int().min(0).default(0),
});

/** Options of `memoryIvfVectorStore`. */
export type MemoryIvfVectorStoreOptions = z.input<typeof optionsSchema>;

/**
 * An in-memory `VectorStore` with an approximate (IVF) index per scope, for scopes too large to scan:
 * exact until a scope holds `minTrainRows`, then clustered by spherical k-means, each query scanning the
 * `probes` lists nearest to it. Same contract and validation as `memoryVectorStore`; `capabilities.exact`
 * is false, since a true neighbour in an unscanned list can be missed (measure recall on your data).
 */
export function memoryIvfVectorStore(options: MemoryIvfVectorStoreOptions): VectorStore {
  const settings = parseOptions(optionsSchema, options, 'memoryIvfVectorStore options');
  const { dimensions } = settings;
  const minTrainRows = settings.minTrainRows ?? Math.max(64, Math.ceil(EXACT_SCAN_VALUES / dimensions));
  return partitionedVectorStore({
    factoryName: 'memoryIvfVectorStore',
    name: 'memory-ivf',
    dimensions,
    capabilities: { exact: false, keyword: false },
    createPartition: () =>
      new IvfPartition(dimensions, { minTrainRows, probes: settings.probes, seed: settings.seed }),
  });
}
