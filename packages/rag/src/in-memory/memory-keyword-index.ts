import {
  defineKeywordIndex,
  type KeywordDocument,
  type KeywordIndex,
  type MetadataFilter,
  metadataFilterSchema,
  parseInput,
  parseOptions,
  type Scope,
  scopeKeys,
} from '@neptune/core';
import { Bm25Index } from '../keyword/bm25-index';
import { type Bm25IndexOptions, bm25IndexOptionsSchema } from '../keyword/bm25-index-options';
import { parseRecordIds } from '../keyword/parse-keyword-input';
import { clearPartitions, removeFromPartition } from './scoped-partition-removal';
import { ScopedPartitions } from './scoped-partitions';

/** Analyzer and BM25 parameters; the defaults reproduce Anserini's BM25 (English analyzer, k1 0.9, b 0.4). */
export type MemoryKeywordIndexOptions = Bm25IndexOptions;

/** `KeywordIndex` plus the reads and bulk delete the in-memory index can answer cheaply. */
export interface MemoryKeywordIndex extends KeywordIndex {
  /** Documents by id, in the order asked; missing ids are left out. */
  get(scope: Scope, ids: readonly string[]): Promise<KeywordDocument[]>;
  /** Documents in the scope (a workspace scope counts its shared documents, not its users'). */
  count(scope: Scope): Promise<number>;
  /** Removes every document whose metadata matches; returns how many. */
  removeWhere(scope: Scope, filter: MetadataFilter): Promise<number>;
}

/**
 * The embedded default `KeywordIndex`: a BM25 inverted index per scope, maintained on every add and
 * remove, never rebuilt for a query. Built on `defineKeywordIndex`: input is validated before anything is
 * written, so a rejected call (`ValidationError`, `ScopeError`) leaves the index as it was.
 */
export function memoryKeywordIndex(options: MemoryKeywordIndexOptions = {}): MemoryKeywordIndex {
  const parsedOptions = parseOptions(bm25IndexOptionsSchema, options, 'memoryKeywordIndex options');
  const partitions = new ScopedPartitions(() => new Bm25Index(parsedOptions));

  const index = defineKeywordIndex({
    name: 'memory',
    label: 'memoryKeywordIndex',

    async add(keys, documents) {
      partitions.findOrCreate(keys).add(documents);
    },

    async remove(keys, ids) {
      return removeFromPartition(partitions, keys, (partition) => partition.remove(ids));
    },

    async search(keys, { query, topK, filter }) {
      const partition = partitions.find(keys);
      if (partition === undefined) return [];
      return partition.search(query, { topK, filter });
    },

    async clear(keys) {
      return clearPartitions(partitions, keys);
    },
  });

  return {
    ...index,

    async removeWhere(scope: Scope, filter: MetadataFilter): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(
        metadataFilterSchema,
        filter,
        'filter passed to memoryKeywordIndex.removeWhere',
      );
      return removeFromPartition(partitions, keys, (partition) => partition.removeWhere(parsed));
    },

    async get(scope: Scope, ids: readonly string[]): Promise<KeywordDocument[]> {
      const keys = scopeKeys(scope);
      const parsed = parseRecordIds('memoryKeywordIndex', 'get', ids);
      return partitions.find(keys)?.get(parsed) ?? [];
    },

    async count(scope: Scope): Promise<number> {
      return partitions.find(scopeKeys(scope))?.size ?? 0;
    },
  };
}
