import { z } from 'zod';
import type { Scope } from '../scope';
import { defaultTelemetry, type TelemetryChannel } from '../telemetry/telemetry-channel';
import { parseOptions } from '../validation';

/** A statement as the database receives it: `toSQL()` of a drizzle query gives exactly this. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Where slow-query warnings and plans go: `console`, pino, or your own. */
export interface QueryLogger {
  warn(message: string, fields: Record<string, unknown>): void;
}

/** A query to time: a function that runs it, or a drizzle query builder (awaitable, with `toSQL()`). */
export type InstrumentableQuery<T> =
  | (() => PromiseLike<T>)
  | (PromiseLike<T> & { toSQL(): { sql: string; params: unknown[] } });

/** Options of one instrumented query call. */
export interface QueryCallOptions {
  /** Put on the `db-query` event. */
  readonly scope?: Scope | undefined;
  readonly requestId?: string | undefined;
  /** The SQL, for EXPLAIN, when the query is a plain function. Taken from `toSQL()` for drizzle queries. */
  readonly statement?: SqlStatement | undefined;
}

/** Times one query: `await instrumentQuery('crm.hot-leads', db.select()...)`. Returns what the query returns. */
export type InstrumentQuery = <T>(
  name: string,
  query: InstrumentableQuery<T>,
  options?: QueryCallOptions,
) => Promise<T>;

/** A query slower than this, in ms, is reported as slow. */
export const DEFAULT_SLOW_QUERY_MS = 500;

const optionsShape = {
  /** Queries at least this slow are flagged `slow` and logged with their plan, in ms. Default 500 (the plan's). */
  slowQueryMs: z.number().finite().min(0).default(DEFAULT_SLOW_QUERY_MS),
  /**
   * Runs EXPLAIN ANALYZE for a slow query and returns the plan; you supply it because you hold the
   * client (`pgExplainAnalyze(pool)` for node-postgres). Without it, slow queries are logged without a plan.
   */
  explain: z
    .custom<(statement: SqlStatement & { readonly name: string }) => Promise<string>>(
      (value) => typeof value === 'function',
      'must be a function',
    )
    .optional(),
  /** Default: `console`. */
  logger: z
    .custom<QueryLogger>(
      (value) => typeof (value as QueryLogger | undefined)?.warn === 'function',
      'must have a warn method',
    )
    .optional(),
  /**
   * At most one EXPLAIN per query name in this many ms: EXPLAIN ANALYZE runs the query again, and a slow
   * query under load must not be doubled on every call. Default 60,000.
   */
  explainIntervalMs: z.number().finite().min(0).default(60_000),
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  telemetry: z
    .custom<TelemetryChannel>((value) => typeof (value as TelemetryChannel | undefined)?.emit === 'function')
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/**
 * Options of `createQueryInstrumentation`: when a query counts as slow, and how its plan is taken and logged.
 */
export type QueryInstrumentationOptions = z.input<typeof optionsSchema>;

/**
 * Instrumentation for the app's own database calls in context sources: each query is timed and reported
 * as a `db-query` event (its name, duration, rows and a `slow` flag; never SQL parameters), and a query
 * over `slowQueryMs` is logged with its EXPLAIN ANALYZE plan, fetched off the request path.
 */
export function createQueryInstrumentation(options: QueryInstrumentationOptions = {}): InstrumentQuery {
  const checked = parseOptions(optionsSchema, options, 'createQueryInstrumentation options');
  const telemetry = checked.telemetry ?? defaultTelemetry();
  const logger: QueryLogger = checked.logger ?? console;
  const lastExplainedAt = new Map<string, number>();

  function explainLater(name: string, statement: SqlStatement, durationMs: number) {
    const explain = checked.explain;
    if (explain === undefined) return;
    const now = Date.now();
    const last = lastExplainedAt.get(name);
    if (last !== undefined && now - last < checked.explainIntervalMs) return;
    lastExplainedAt.set(name, now);
    explain({ name, sql: statement.sql, params: statement.params }).then(
      (plan) =>
        logger.warn(`EXPLAIN ANALYZE for slow query "${name}"`, {
          name,
          durationMs,
          sql: statement.sql,
          plan,
        }),
      (error: unknown) =>
        logger.warn(`EXPLAIN ANALYZE failed for slow query "${name}"`, {
          name,
          durationMs,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  return async function instrumentQuery<T>(
    name: string,
    query: InstrumentableQuery<T>,
    call: QueryCallOptions = {},
  ): Promise<T> {
    const startedAt = performance.now();
    const timestamp = Date.now();
    let failed = false;
    let result: T | undefined;
    try {
      result = await (typeof query === 'function' ? query() : query);
      return result;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const durationMs = performance.now() - startedAt;
      const slow = durationMs >= checked.slowQueryMs;
      if (telemetry.active) {
        telemetry.emit({
          type: 'db-query',
          timestamp,
          scope: call.scope,
          requestId: call.requestId,
          name,
          durationMs,
          rows: failed ? undefined : rowCount(result),
          slow,
          ...(failed ? { failed } : {}),
        });
      }
      if (slow) {
        logger.warn(`Slow query "${name}" took ${Math.round(durationMs)} ms`, {
          name,
          durationMs,
          slowQueryMs: checked.slowQueryMs,
          rows: failed ? undefined : rowCount(result),
          failed,
        });
        // Built only now: toSQL() costs a little, and only slow queries need it.
        const statement = failed ? undefined : (call.statement ?? statementOf(query));
        if (statement !== undefined) explainLater(name, statement, durationMs);
      }
    }
  };
}

function statementOf(query: unknown): SqlStatement | undefined {
  const toSQL = (query as { toSQL?: unknown }).toSQL;
  if (typeof toSQL !== 'function') return undefined;
  const built = toSQL.call(query) as { sql?: unknown; params?: unknown };
  return typeof built.sql === 'string' && Array.isArray(built.params)
    ? { sql: built.sql, params: built.params }
    : undefined;
}

function rowCount(result: unknown): number | undefined {
  if (Array.isArray(result)) return result.length;
  const rows = (result as { rows?: unknown } | null | undefined)?.rows;
  if (Array.isArray(rows)) return rows.length;
  const count = (result as { rowCount?: unknown } | null | undefined)?.rowCount;
  return typeof count === 'number' ? count : undefined;
}
