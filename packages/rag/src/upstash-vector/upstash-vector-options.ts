import type { Embedder, TelemetryChannel } from '@neptune/core';
import type { Index } from '@upstash/vector';
import type { Analyzer } from '../analysis/analyzer';

/** Options of `upstashVectorStore`. */
export interface UpstashVectorStoreOptions {
  /**
   * The index: an `Index` from `@upstash/vector`, or its REST `url` and `token` to create one.
   * Default: the UPSTASH_VECTOR_REST_URL and UPSTASH_VECTOR_REST_TOKEN environment variables.
   */
  readonly index?:
    | Index
    | { readonly url?: string | undefined; readonly token?: string | undefined }
    | undefined;
  /** Length of every vector: the index's dimension (checked against the index on first use). */
  readonly dimensions: number;
  /**
   * The index is hybrid (dense and sparse, created with no hosted embedding model): the store then also
   * implements `KeywordIndex`, writing a BM25 sparse vector from each record's text. Default false.
   */
  readonly hybrid?: boolean | undefined;
  /** Prepended to every namespace, so several apps or test runs can share one index. Default ''. */
  readonly namespacePrefix?: string | undefined;
  /**
   * Weight query terms by the namespace's inverse document frequency (Upstash's BM25 `IDF` weighting).
   * Default true. Upstash's IDF, ln((N - n + 0.5) / (n + 0.5)), is zero or negative for a term in half or
   * more of a namespace's records, which reverses the ranking in namespaces of a handful of records; set
   * false there to rank by term frequency alone.
   */
  readonly idf?: boolean | undefined;
  /**
   * Hybrid only: computes dense vectors for `add()`, since a hybrid record needs both parts. Without it,
   * `add()` can only re-index the text of records written with `upsert()`.
   */
  readonly embedder?: Embedder | undefined;
  /** Turns text into terms for the sparse vectors; default: the English analyzer (Porter stemming). */
  readonly analyzer?: Analyzer | undefined;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Calls slower than this are reported with `slow: true` on their `db-query` event. Default 500 ms. */
  readonly slowQueryMs?: number | undefined;
}
