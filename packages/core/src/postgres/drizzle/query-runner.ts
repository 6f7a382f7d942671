import type { ScopeKeys } from '../../scope';
import { instrumentCall } from '../../telemetry/instrument-call';
import { defaultTelemetry, type TelemetryChannel } from '../../telemetry/telemetry-channel';
import { boundedQuery, DEFAULT_POSTGRES_QUERY_TIMEOUT_MS } from '../bounded-query';
import { DEFAULT_SLOW_QUERY_MS } from '../create-query-instrumentation';
import { mapPostgresError, type PostgresErrorHints } from '../postgres-error';
import type { PostgresDatabase } from './postgres-database';

/**
 * Runs one database operation within the runner's `queryTimeoutMs` (or until `signal` fires): reports a
 * `db-query` event (name, duration, rows; never parameters) under the scope of `keys`, and turns a
 * failure into a Neptune error that names the operation (and the table, when the runner has one).
 */
export type RunQuery = <T>(
  operation: string,
  keys: ScopeKeys | undefined,
  query: () => Promise<T>,
  rows?: (result: T) => number,
  signal?: AbortSignal,
) => Promise<T>;

/** What every query of a Postgres store needs: its database, its name for messages, and `run`. */
export interface QueryRunner {
  readonly db: PostgresDatabase;
  /** `pgvectorStore`, `drizzleConversationStore`, …: the prefix of query names and error messages. */
  readonly storeName: string;
  /** Runs one operation; a plain function, so `const { run } = runner` works. */
  readonly run: RunQuery;
}

/** Options of `createQueryRunner`. */
export interface QueryRunnerOptions {
  readonly db: PostgresDatabase;
  /** `pgvectorStore`, `drizzleConversationStore`, …: the prefix of query names and error messages. */
  readonly storeName: string;
  /** The package reporting the queries, on each `db-query` event: `rag`, `memory`. */
  readonly source: string;
  /** What the store's errors advise: which migration to run, which values to check. */
  readonly hints: PostgresErrorHints;
  /** The quoted table name, added to error messages (`… on "neptune_chunks"`) when the store has one table. */
  readonly tableLabel?: string | undefined;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Queries at least this long are reported with `slow: true`. Default 500 ms. */
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
}

/**
 * The query runner of a Postgres store: each call is bounded by a timeout and the caller's signal,
 * timed as a `db-query` event, and its failure mapped once by `mapPostgresError` with the store's hints.
 */
export function createQueryRunner(options: QueryRunnerOptions): QueryRunner {
  const { db, storeName, source, hints, tableLabel } = options;
  const telemetry = options.telemetry ?? defaultTelemetry();
  const slowQueryMs = options.slowQueryMs ?? DEFAULT_SLOW_QUERY_MS;
  const timeoutMs = options.queryTimeoutMs ?? DEFAULT_POSTGRES_QUERY_TIMEOUT_MS;
  const run: RunQuery = (operation, keys, query, rows, signal) => {
    const name = `${storeName}.${operation}`;
    const what = tableLabel === undefined ? name : `${name} on ${tableLabel}`;
    return instrumentCall({
      name,
      scope: keys?.scope,
      telemetry,
      slowQueryMs,
      source,
      run: () => boundedQuery(query, { what, timeoutMs, signal }),
      rows,
      mapError: (error) => mapPostgresError(error, what, hints),
    });
  };
  return { db, storeName, run };
}
