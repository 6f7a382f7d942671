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
import { z } from 'zod';
import { freezeMetadata } from '../keyword/freeze-metadata';
import { recordIdsSchema } from '../keyword/keyword-input-schemas';
import { IvfPartition } from './ivf-partition';
import { ScopedPartitions } from './scoped-partitions';
import { vectorQuerySchema, vectorRecordsSchema } from './vector-input-schemas';

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

export type MemoryIvfVectorStoreOptions = z.input<typeof optionsSchema>;

function checkDimensions(dimensions: number, length: number, what: string): void {
  if (length === dimensions) return;
  throw new DimensionMismatchError({
    message: `memoryIvfVectorStore was created for ${dimensions} dimensions, but ${what} has ${length}. Embed with the model the store was created for, or create the store with { dimensions: ${length} }.`,
    details: { expected: dimensions, received: length },
  });
}

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
  const partitions = new ScopedPartitions(
    () => new IvfPartition(dimensions, { minTrainRows, probes: settings.probes, seed: settings.seed }),
  );

  return {
    name: 'memory-ivf',
    dimensions,
    capabilities: { exact: false, keyword: false },

    async upsert(scope: Scope, records: readonly VectorRecord[]): Promise<void> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(
        vectorRecordsSchema,
        records,
        'records passed to memoryIvfVectorStore.upsert',
      );
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
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to memoryIvfVectorStore.delete');
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
        'filter passed to memoryIvfVectorStore.deleteWhere',
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
        'query passed to memoryIvfVectorStore.query',
      );
      checkDimensions(dimensions, vector.length, 'the query vector');
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return partition.query(normalizeInPlace(Float32Array.from(vector)), topK, filter, minScore);
    },

    async get(scope: Scope, ids: readonly string[]): Promise<VectorRecord[]> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to memoryIvfVectorStore.get');
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
