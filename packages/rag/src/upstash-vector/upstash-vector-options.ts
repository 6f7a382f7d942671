import {
  ConfigurationError,
  type Embedder,
  parseOptions,
  resolveSetting,
  type TelemetryChannel,
  telemetryChannelSchema,
} from '@neptune/core';
import { Index } from '@upstash/vector';
import { z } from 'zod';
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

function isIndex(value: unknown): value is Index {
  const candidate = value as Partial<Record<'namespace' | 'query' | 'info', unknown>> | null;
  return (
    typeof candidate?.namespace === 'function' &&
    typeof candidate.query === 'function' &&
    typeof candidate.info === 'function'
  );
}

/** Not exported: its inferred type names the client's internal modules. */
const optionsSchema = z.object({
  index: z
    .union([
      z.custom<Index>(isIndex, 'must be an Index from @upstash/vector'),
      z.strictObject({ url: z.string().optional(), token: z.string().optional() }),
    ])
    .optional(),
  dimensions: z
    .number({ error: 'dimensions is required: the dimension of the Upstash Vector index' })
    .int('dimensions must be a whole number')
    .positive('dimensions must be at least 1'),
  hybrid: z.boolean().default(false),
  namespacePrefix: z
    .string()
    // No '/', '?', '#', '%' or whitespace: the namespace travels in the URL path unescaped.
    .regex(/^[\p{L}\p{N}_.@+|=:-]*$/u, 'namespacePrefix may use letters, digits and _ . @ + | = : - only')
    .default(''),
  idf: z.boolean().default(true),
  embedder: z
    .custom<Embedder>(
      (value) => typeof (value as Embedder | undefined)?.embed === 'function',
      'must be an Embedder (an object with embed(texts))',
    )
    .optional(),
  analyzer: z
    .custom<Analyzer>((value) => typeof value === 'function', 'must be a function from text to terms')
    .optional(),
  telemetry: telemetryChannelSchema.optional(),
  slowQueryMs: z.number().positive().default(500),
});

function resolveIndex(option: UpstashVectorStoreOptions['index']): Index {
  if (option !== undefined && 'namespace' in option) return option;
  return new Index({
    url: resolveSetting({
      value: option?.url,
      optionName: 'index.url',
      environmentVariable: 'UPSTASH_VECTOR_REST_URL',
      description: 'The Upstash Vector REST URL',
    }),
    token: resolveSetting({
      value: option?.token,
      optionName: 'index.token',
      environmentVariable: 'UPSTASH_VECTOR_REST_TOKEN',
      description: 'The Upstash Vector REST token',
    }),
    enableTelemetry: false,
    // The client's default is five retries with exponential backoff, which can hold a request for seconds.
    retry: { retries: 2, backoff: (attempt) => 50 * 2 ** attempt },
  });
}

/** The options of `upstashVectorStore`, checked, with their defaults and the index resolved. */
export interface UpstashVectorSettings {
  readonly index: Index;
  readonly dimensions: number;
  readonly hybrid: boolean;
  readonly namespacePrefix: string;
  readonly idf: boolean;
  readonly embedder?: Embedder | undefined;
  readonly analyzer?: Analyzer | undefined;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly slowQueryMs: number;
}

/** Checks the options of `upstashVectorStore` (the embedder's length against `dimensions` too) and resolves its index. */
export function upstashVectorSettings(options: UpstashVectorStoreOptions): UpstashVectorSettings {
  const settings = parseOptions(optionsSchema, options, 'upstashVectorStore options');
  if (settings.embedder !== undefined && settings.embedder.dimensions !== settings.dimensions) {
    throw new ConfigurationError({
      message: `upstashVectorStore options: the embedder makes ${settings.embedder.dimensions}-dimensional vectors, but dimensions is ${settings.dimensions}. Pass the embedder of the index's model.`,
    });
  }
  return { ...settings, index: resolveIndex(settings.index) };
}
