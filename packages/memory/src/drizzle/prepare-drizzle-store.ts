import { ConfigurationError, describeValue, type TelemetryChannel } from '@neptune/core';
import type { PostgresErrorHints } from '@neptune/core/postgres';
import {
  createQueryRunner,
  isPostgresDatabase,
  type PostgresDatabase,
  type RunQuery,
} from '@neptune/core/postgres/drizzle';

/** What a failed query of the memory stores advises, for `mapPostgresError`. */
export const MEMORY_STORE_ERROR_HINTS: PostgresErrorHints = {
  missingSchema:
    'The memory tables are missing or out of date: call migrate(db) from @neptune/memory/drizzle once at deploy or start-up.',
  refusedValue: 'Check the ids, text and dates passed.',
};

export interface DrizzleStoreOptions {
  readonly db: PostgresDatabase;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly slowQueryMs?: number | undefined;
  readonly queryTimeoutMs?: number | undefined;
}

function checkTimeout(storeName: string, value: unknown): number | undefined {
  if (
    value === undefined ||
    (Number.isInteger(value) && (value as number) > 0 && (value as number) <= 600_000)
  ) {
    return value as number | undefined;
  }
  throw new ConfigurationError({
    message: `${storeName}: queryTimeoutMs must be a whole number of milliseconds from 1 to 600,000 (received ${describeValue(value)}).`,
    details: { field: 'queryTimeoutMs' },
  });
}

/**
 * What every drizzle store starts from: its `db`, refused at creation when it is not a drizzle Postgres
 * database (it would otherwise fail on the first query, far from the mistake), and a query runner that
 * reports under the store's name.
 */
export function prepareDrizzleStore(
  storeName: string,
  options: DrizzleStoreOptions,
): { readonly db: PostgresDatabase; readonly run: RunQuery } {
  if (!isPostgresDatabase(options?.db)) {
    throw new ConfigurationError({
      message: `${storeName} needs \`db\`: a drizzle Postgres database, e.g. drizzle(pool) from drizzle-orm/node-postgres, drizzle-orm/neon-http or drizzle-orm/pglite.`,
    });
  }
  const { run } = createQueryRunner({
    db: options.db,
    storeName,
    source: 'memory',
    hints: MEMORY_STORE_ERROR_HINTS,
    telemetry: options.telemetry,
    slowQueryMs: options.slowQueryMs,
    queryTimeoutMs: checkTimeout(storeName, options.queryTimeoutMs),
  });
  return { db: options.db, run };
}
