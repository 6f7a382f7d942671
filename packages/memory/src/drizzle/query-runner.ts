import { defaultTelemetry, instrumentCall, type Scope, type TelemetryChannel } from '@neptune/core';
import { toNeptuneError } from './postgres-error';

export interface QueryRunnerOptions {
  /** `drizzleConversationStore` and so on: the prefix of query names and error messages. */
  readonly storeName: string;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Queries at least this long are reported with `slow: true`. Default 500 ms (the plan's threshold). */
  readonly slowQueryMs?: number | undefined;
}

export type RunQuery = <T>(
  operation: string,
  scope: Scope | undefined,
  query: () => Promise<T>,
  rows?: (result: T) => number,
) => Promise<T>;

/**
 * Runs one database operation: reports a `db-query` event (name, duration, rows; never parameters) and
 * turns a failure into a Neptune error naming the operation.
 */
export function createQueryRunner(options: QueryRunnerOptions): RunQuery {
  const telemetry = options.telemetry ?? defaultTelemetry();
  const slowQueryMs = options.slowQueryMs ?? 500;
  return (operation, scope, query, rows) => {
    const name = `${options.storeName}.${operation}`;
    return instrumentCall({
      name,
      scope,
      telemetry,
      slowQueryMs,
      source: 'memory',
      run: query,
      rows,
      mapError: (error) => toNeptuneError(error, name),
    });
  };
}
