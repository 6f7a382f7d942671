import { defaultTelemetry, instrumentCall, type ScopeKeys, type TelemetryChannel } from '@neptune/core';
import { boundedQuery, DEFAULT_POSTGRES_QUERY_TIMEOUT_MS } from '@neptune/core/postgres';
import type { PostgresDatabase } from './postgres-database';
import { toNeptuneError } from './postgres-error';

/** What every query of a chunk store needs: the database, names for messages, and telemetry. */
export interface QueryRunner {
  readonly db: PostgresDatabase;
  /** `pgvectorStore` or `postgresKeywordIndex`, for messages. */
  readonly storeName: string;
  /**
   * Runs one database operation within `queryTimeoutMs` (or until `signal` fires): reports a `db-query`
   * event (name, duration, rows; never parameters) and turns a failure into a Neptune error that names
   * the operation and the table.
   */
  run<T>(
    operation: string,
    keys: ScopeKeys | undefined,
    query: () => Promise<T>,
    rows?: (result: T) => number,
    signal?: AbortSignal,
  ): Promise<T>;
}

export interface QueryRunnerOptions {
  readonly db: PostgresDatabase;
  /** `pgvectorStore` or `postgresKeywordIndex`: the prefix of event names and error messages. */
  readonly storeName: string;
  /** The quoted table name, for error messages. */
  readonly tableLabel: string;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly slowQueryMs: number;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
}

export function createQueryRunner(options: QueryRunnerOptions): QueryRunner {
  const telemetry = options.telemetry ?? defaultTelemetry();
  const timeoutMs = options.queryTimeoutMs ?? DEFAULT_POSTGRES_QUERY_TIMEOUT_MS;
  return {
    db: options.db,
    storeName: options.storeName,
    run(operation, keys, query, rows, signal) {
      const name = `${options.storeName}.${operation}`;
      return instrumentCall({
        name,
        scope: keys?.scope,
        telemetry,
        slowQueryMs: options.slowQueryMs,
        source: 'rag',
        run: () => boundedQuery(query, { what: `${name} on ${options.tableLabel}`, timeoutMs, signal }),
        rows,
        mapError: (error) => toNeptuneError(error, `${name} on ${options.tableLabel}`),
      });
    },
  };
}
