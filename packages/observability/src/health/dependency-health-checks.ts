import { ConfigurationError, checkArgument, type VectorStore } from '@neptune/core';
import type { HealthCheck } from './health-check';

interface CheckOptions {
  /** Shown in the report. Default: the kind (`redis`, `postgres`, ...). */
  readonly name?: string | undefined;
  readonly critical?: boolean | undefined;
  readonly slowMs?: number | undefined;
}

/** Anything with `ping()`: an ioredis or Upstash client, or a Neptune `KeyValueStore`. */
export interface Pingable {
  ping(): Promise<unknown>;
}

/** Redis answers PING. */
export function redisHealthCheck(client: Pingable, options: CheckOptions = {}): HealthCheck {
  if (typeof client?.ping !== 'function') {
    throw new ConfigurationError({
      message:
        'redisHealthCheck needs a client with ping(): an ioredis or @upstash/redis client, or a KeyValueStore.',
    });
  }
  return {
    kind: 'redis',
    name: options.name ?? 'redis',
    ...options,
    check: async () => void (await client.ping()),
  };
}

/** Anything that runs SQL text: a node-postgres Pool or Client, PGlite, or Neon's `Pool`. */
export interface SqlQueryable {
  query(text: string): Promise<unknown>;
}

/** PostgreSQL answers `select 1`. */
export function postgresHealthCheck(database: SqlQueryable, options: CheckOptions = {}): HealthCheck {
  if (typeof database?.query !== 'function') {
    throw new ConfigurationError({
      message:
        'postgresHealthCheck needs something with query(text): a pg Pool or Client, PGlite, or @neondatabase/serverless Pool. For Drizzle, pass its underlying client ($client).',
    });
  }
  return {
    kind: 'postgres',
    name: options.name ?? 'postgres',
    ...options,
    check: async () => void (await database.query('select 1')),
  };
}

/** The scope a vector store is probed under: a count over an empty scope is the cheapest round trip. */
const HEALTH_SCOPE = { workspaceId: 'neptune-health-check' };

/** The vector store answers a count (over a scope of its own, so no tenant data is touched). */
export function vectorStoreHealthCheck(
  store: Pick<VectorStore, 'count'>,
  options: CheckOptions = {},
): HealthCheck {
  if (typeof store?.count !== 'function') {
    throw new ConfigurationError({
      message: 'vectorStoreHealthCheck needs a Neptune VectorStore (with count(scope)).',
    });
  }
  return {
    kind: 'vector-store',
    name: options.name ?? 'vector-store',
    ...options,
    check: async () => void (await store.count(HEALTH_SCOPE)),
  };
}

/** Options of `modelProviderHealthCheck`. */
export interface ModelProviderHealthCheckOptions extends CheckOptions {
  /** An OpenAI-compatible base URL, `/v1` included. Default `https://api.openai.com/v1`. */
  readonly baseUrl?: string | undefined;
  /** Sent as a bearer token. The check fails with "unauthorised" when the provider refuses it. */
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch | undefined;
}

/**
 * The model provider answers `GET /models`: it costs nothing, needs a valid key, and tells an outage
 * (5xx, no answer) from a bad key (401). A 429 still proves the provider is up.
 */
export function modelProviderHealthCheck(options: ModelProviderHealthCheckOptions = {}): HealthCheck {
  checkArgument(
    typeof options === 'object' &&
      options !== null &&
      (options.baseUrl === undefined || typeof options.baseUrl === 'string') &&
      (options.fetch === undefined || typeof options.fetch === 'function'),
    'modelProviderHealthCheck(options)',
    'an options object ({ baseUrl?: string, fetch?: function, apiKey?, name? })',
    options,
  );
  const baseUrl = (options.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  return {
    kind: 'model-provider',
    name: options.name ?? 'model-provider',
    critical: options.critical,
    slowMs: options.slowMs ?? 2_000,
    async check(signal) {
      const response = await fetchImplementation(`${baseUrl}/models`, {
        headers: options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` },
        signal,
      });
      await response.body?.cancel();
      if (response.ok || response.status === 429) return;
      if (response.status === 401 || response.status === 403)
        throw new Error(`the provider refused the API key (HTTP ${response.status})`);
      throw new Error(`GET ${baseUrl}/models answered HTTP ${response.status}`);
    },
  };
}
