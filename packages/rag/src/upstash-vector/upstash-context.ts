import { ConfigurationError, type Metadata } from '@neptune/core';
import type { Index } from '@upstash/vector';
import type { Analyzer } from '../analysis/analyzer';
import { documentSparseVector, type SparseVector } from './sparse-vector';
import type { UpstashCall } from './upstash-calls';
import { toStoredMetadata } from './upstash-metadata';
import type { UpstashNamespaces } from './upstash-namespaces';

/** What the driver of one store works with. */
export interface UpstashContext {
  readonly index: Index;
  readonly call: UpstashCall;
  readonly namespaces: UpstashNamespaces;
  readonly dimensions: number;
  readonly hybrid: boolean;
  readonly analyzer: Analyzer;
  /** Resolves once the index is known to have the store's dimension and cosine similarity. */
  ready(): Promise<void>;
}

/** Calls that carry ids or records are cut into requests of this many. */
export const RECORDS_PER_REQUEST = 1000;
/** Upstash answers at most 1,000 matches per query. */
export const MAX_TOP_K = 1000;

export interface UpstashRecord {
  id: string;
  vector: number[];
  sparseVector?: SparseVector;
  data?: string;
  metadata: Record<string, unknown>;
}

/** A record as Upstash stores it: text in `data`, metadata in Neptune's layout, a sparse part on hybrid indexes. */
export function toUpstashRecord(
  context: UpstashContext,
  record: {
    id: string;
    vector: ArrayLike<number>;
    text?: string | undefined;
    keywordText?: string | undefined;
    metadata?: Metadata | undefined;
  },
): UpstashRecord {
  return {
    id: record.id,
    vector: Array.from(record.vector),
    ...(context.hybrid
      ? { sparseVector: documentSparseVector(record.keywordText ?? record.text ?? '', context.analyzer) }
      : {}),
    ...(record.text === undefined ? {} : { data: record.text }),
    metadata: { ...toStoredMetadata(record.metadata) },
  };
}

export function inRequests<Item>(items: readonly Item[]): Item[][] {
  const batches: Item[][] = [];
  for (let start = 0; start < items.length; start += RECORDS_PER_REQUEST) {
    batches.push(items.slice(start, start + RECORDS_PER_REQUEST));
  }
  return batches;
}

/**
 * Checks the index once (`info`): its dimension must be the store's, and its similarity cosine, since
 * scores are converted back from Upstash's normalised (1 + cosine) / 2. Not cached when it fails.
 */
export function upstashReadiness(index: Index, call: UpstashCall, dimensions: number): () => Promise<void> {
  let pending: Promise<void> | undefined;
  async function inspect(): Promise<void> {
    const info = await call('ready', undefined, () => index.info());
    if (info.dimension !== dimensions) {
      throw new ConfigurationError({
        message: `upstashVectorStore: the index has dimension ${info.dimension}, but the store was created with dimensions: ${dimensions}. Use an index created for your embedding model's size.`,
        details: { index: info.dimension, dimensions },
      });
    }
    if (info.similarityFunction !== 'COSINE') {
      throw new ConfigurationError({
        message: `upstashVectorStore: the index uses ${info.similarityFunction} similarity; Neptune's VectorStore contract is cosine. Create the index with the COSINE similarity function.`,
      });
    }
  }
  return () => {
    pending ??= inspect().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
