import { defaultTelemetry, type ScopeKeys, type TelemetryChannel } from '@neptune/core';
import type { PostgresDatabase } from './postgres-database';
import { toNeptuneError } from './postgres-error';

/** What every query of a chunk store needs: the database, names for messages, and telemetry. */
export interface QueryRunner {
  readonly db: PostgresDatabase;
  /**
   * Runs one database operation: reports a `db-query` event (name, duration, rows; never parameters)
   * and turns a failure into a Neptune error that names the operation and the table.
   */
  run<T>(
    operation: string,
    keys: ScopeKeys | undefined,
    query: () => Promise<T>,
    rows?: (result: T) => number,
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
}

export function createQueryRunner(options: QueryRunnerOptions): QueryRunner {
  const telemetry = options.telemetry ?? defaultTelemetry();
  return {
    db: options.db,
    async run(operation, keys, query, rows) {
      const startedAt = Date.now();
      const name = `${options.storeName}.${operation}`;
      try {
        const result = await query();
        if (telemetry.active) {
          const durationMs = Date.now() - startedAt;
          telemetry.emit({
            type: 'db-query',
            timestamp: startedAt,
            scope: keys?.scope,
            name,
            durationMs,
            rows: rows?.(result),
            slow: durationMs >= options.slowQueryMs,
          });
        }
        return result;
      } catch (error) {
        const failure = toNeptuneError(error, `${name} on ${options.tableLabel}`);
        if (telemetry.active) {
          telemetry.emit({
            type: 'error',
            timestamp: Date.now(),
            scope: keys?.scope,
            source: 'rag',
            code: failure.code,
            message: failure.message,
            retryable: failure.isRetryable,
          });
        }
        throw failure;
      }
    },
  };
}
