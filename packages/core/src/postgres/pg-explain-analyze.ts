import { ValidationError } from '../errors';

/** The part of a node-postgres `Pool` (or Neon's `Pool`) that `pgExplainAnalyze` uses. */
export interface PgPoolLike {
  connect(): Promise<{
    query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
    query(config: {
      text: string;
      values: unknown[];
      queryMode: 'extended';
    }): Promise<{ rows: Array<Record<string, unknown>> }>;
    release(error?: Error | boolean): void;
  }>;
}

/** Options of `pgExplainAnalyze`. */
export interface PgExplainAnalyzeOptions {
  /** Longest an EXPLAIN ANALYZE may run, in ms. Default 10,000. */
  readonly statementTimeoutMs?: number | undefined;
}

/**
 * An `explain` callback for `createQueryInstrumentation` on a node-postgres pool. EXPLAIN ANALYZE runs
 * the statement for real, so it runs in a READ ONLY transaction that is rolled back: a write fails
 * instead of happening twice. `statement_timeout` bounds it.
 *
 * The statement always goes through the extended protocol (one statement, never several): sent without
 * parameters over the simple protocol, `SELECT 1; COMMIT; DELETE ...` would end the read-only
 * transaction and run the rest outside it. A statement with a `;` before its end is refused outright, in
 * case the pool's driver ignores `queryMode`.
 */
export function pgExplainAnalyze(
  pool: PgPoolLike,
  options: PgExplainAnalyzeOptions = {},
): (statement: { readonly sql: string; readonly params: readonly unknown[] }) => Promise<string> {
  const timeoutMs = Math.max(1, Math.floor(options.statementTimeoutMs ?? 10_000));
  return async ({ sql, params }) => {
    const statement = sql.trim().replace(/;+\s*$/, '');
    if (statement.includes(';')) {
      throw new ValidationError({
        message:
          'pgExplainAnalyze explains one statement at a time; this one holds a `;` before its end, so it is not run.',
        details: { field: 'sql' },
      });
    }
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      const result = await client.query({
        text: `EXPLAIN (ANALYZE, BUFFERS) ${statement}`,
        values: [...params],
        queryMode: 'extended',
      });
      return result.rows.map((row) => String(Object.values(row)[0])).join('\n');
    } finally {
      try {
        await client.query('ROLLBACK');
      } catch (error) {
        // A connection that cannot roll back must not go back to the pool.
        broken = error instanceof Error ? error : new Error(String(error));
      }
      client.release(broken ?? false);
    }
  };
}
