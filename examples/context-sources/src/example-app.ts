import type { Cache } from '@neptune/cache';
import { createQueryInstrumentation, pgExplainAnalyze, type QueryLogger } from '@neptune/context';
import type { TelemetryChannel } from '@neptune/core';
import { createAssistantContext } from './assistant-context';
import { openDatabase } from './database';

export interface ExampleAppOptions {
  readonly databaseUrl: string;
  /** The Postgres schema the tables live in. Default: the connection's search_path. */
  readonly searchPath?: string | undefined;
  readonly cache: Cache;
  readonly telemetry?: TelemetryChannel | undefined;
  /** Default 500 ms, the plan's threshold for EXPLAIN ANALYZE logging. */
  readonly slowQueryMs?: number | undefined;
  readonly logger?: QueryLogger | undefined;
  readonly poolSize?: number | undefined;
}

/**
 * The app's `lib/neptune.ts`, wired once per process: the database pool, query instrumentation with
 * EXPLAIN ANALYZE for slow queries, and the assistant context over the example sources.
 */
export function createExampleApp(options: ExampleAppOptions) {
  const { pool, db } = openDatabase(options.databaseUrl, {
    searchPath: options.searchPath,
    max: options.poolSize,
  });
  const instrumentQuery = createQueryInstrumentation({
    telemetry: options.telemetry,
    slowQueryMs: options.slowQueryMs,
    logger: options.logger,
    explain: pgExplainAnalyze(pool),
  });
  const assistant = createAssistantContext({
    db,
    cache: options.cache,
    instrumentQuery,
    telemetry: options.telemetry,
  });
  return { pool, db, instrumentQuery, ...assistant, close: () => pool.end() };
}

export type ExampleApp = ReturnType<typeof createExampleApp>;
