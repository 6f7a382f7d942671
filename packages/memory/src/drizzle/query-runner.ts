import { defaultTelemetry, instrumentCall, type Scope, type TelemetryChannel } from '@neptune/core';
import { boundedQuery, DEFAULT_POSTGRES_QUERY_TIMEOUT_MS } from '@neptune/core/postgres';
import { toNeptuneError } from './postgres-error';

export interface QueryRunnerOptions {
  /** `drizzleConversationStore` and so on: the prefix of query names and error messages. */
  readonly storeName: string;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Queries at least this long are reported with `slow: true`. Default 500 ms (the plan's threshold). */
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
}

export type RunQuery = <T>(
  operation: string,
  scope: Scope | undefined,
  query: () => Promise<T>,
  rows?: (result: T) => number,
  signal?: AbortSignal,
) => Promise<T>;

/**
 * Runs one database operation within `queryTimeoutMs` (or until the caller's signal fires): reports a
 * `db-query` event (name, duration, rows; never parameters) and turns a failure into a Neptune error
 * naming the operation.
 */
export function createQueryRunner(options: QueryRunnerOptions): RunQuery {
  const telemetry = options.telemetry ?? defaultTelemetry();
  const slowQueryMs = options.slowQueryMs ?? 500;
  const timeoutMs = options.queryTimeoutMs ?? DEFAULT_POSTGRES_QUERY_TIMEOUT_MS;
  return (operation, scope, query, rows, signal) => {
    const name = `${options.storeName}.${operation}`;
    return instrumentCall({
      name,
      scope,
      telemetry,
      slowQueryMs,
      source: 'memory',
      run: () => boundedQuery(query, { what: name, timeoutMs, signal }),
      rows,
      mapError: (error) => toNeptuneError(error, name),
    });
  };
}
