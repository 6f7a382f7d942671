import {
  ConfigurationError,
  defineVectorStore,
  type Embedder,
  type KeywordIndex,
  parseOptions,
  resolveSetting,
  telemetryChannelSchema,
  type VectorStore,
} from '@neptune/core';
import { Index } from '@upstash/vector';
import { z } from 'zod';
import type { Analyzer } from '../analysis/analyzer';
import { englishAnalyzer } from '../analysis/english-analyzer';
import { upstashCalls } from './upstash-calls';
import { type UpstashContext, upstashReadiness } from './upstash-context';
import { upstashKeywordMethods } from './upstash-keyword-methods';
import { upstashNamespaces } from './upstash-namespaces';
import { UPSTASH_DIMENSION_ADVICE, upstashVectorMethods } from './upstash-vector-methods';
import type { UpstashVectorStoreOptions } from './upstash-vector-options';

export type { UpstashVectorStoreOptions } from './upstash-vector-options';

/** A `VectorStore` on Upstash Vector, exposing its `@upstash/vector` client. */
export interface UpstashVectorStore extends VectorStore {
  readonly name: 'upstash-vector';
  readonly index: Index;
}

/** On a hybrid index the store is also a `KeywordIndex` over the same records. */
export interface UpstashHybridVectorStore extends UpstashVectorStore, KeywordIndex {
  readonly name: 'upstash-vector';
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

/**
 * Upstash Vector over its REST API (`@upstash/vector`): fetch only, so it runs on the edge runtime.
 * Every scope is one namespace (`scopeKeys(scope).namespace`), so a scope's reads, queries and deletes
 * cannot reach another's records. Metadata filters are translated into Upstash's filter syntax, and
 * results are checked against `matchesFilter` as well.
 *
 * With `hybrid: true` (an index created as hybrid, without hosted embedding models) each record also
 * gets a BM25 sparse vector from its text, and the store implements `KeywordIndex`: `search()` queries
 * the sparse half with Upstash's IDF weighting.
 */
export function upstashVectorStore(
  options: UpstashVectorStoreOptions & { readonly hybrid: true },
): UpstashHybridVectorStore;
export function upstashVectorStore(options: UpstashVectorStoreOptions): UpstashVectorStore;
export function upstashVectorStore(
  options: UpstashVectorStoreOptions,
): UpstashVectorStore | UpstashHybridVectorStore {
  const settings = parseOptions(optionsSchema, options, 'upstashVectorStore options');
  if (settings.embedder !== undefined && settings.embedder.dimensions !== settings.dimensions) {
    throw new ConfigurationError({
      message: `upstashVectorStore options: the embedder makes ${settings.embedder.dimensions}-dimensional vectors, but dimensions is ${settings.dimensions}. Pass the embedder of the index's model.`,
    });
  }
  const index = resolveIndex(settings.index);
  const call = upstashCalls(settings.telemetry, settings.slowQueryMs);
  const context: UpstashContext = {
    index,
    call,
    namespaces: upstashNamespaces(settings.namespacePrefix),
    dimensions: settings.dimensions,
    hybrid: settings.hybrid,
    analyzer: settings.analyzer ?? englishAnalyzer,
    ready: upstashReadiness(index, call, settings.dimensions),
  };
  const store: UpstashVectorStore = {
    ...defineVectorStore({
      name: 'upstash-vector',
      label: 'upstashVectorStore',
      dimensions: settings.dimensions,
      // Upstash's index is approximate; on a hybrid index the store is its own keyword index.
      capabilities: { exact: false, keyword: settings.hybrid },
      dimensionAdvice: UPSTASH_DIMENSION_ADVICE,
      ...upstashVectorMethods(context),
    }),
    name: 'upstash-vector',
    index,
  };
  if (!settings.hybrid) return store;
  return { ...store, ...upstashKeywordMethods(context, { idf: settings.idf, embedder: settings.embedder }) };
}
