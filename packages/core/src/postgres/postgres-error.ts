import {
  ConfigurationError,
  describeValue,
  NeptuneError,
  StoreError,
  TimeoutError,
  ValidationError,
} from '../errors';

export interface PostgresErrorHints {
  /** What to do when a table or column is missing (SQLSTATE 42P01, 42703): run which migration. */
  readonly missingSchema: string;
  /** What to check when Postgres refuses a value (class 22, and 23514 check violations). */
  readonly refusedValue: string;
  /**
   * A store's own configuration problems, tried first: given the SQLSTATE and Postgres's message, the
   * advice to give, or undefined. (pgvector uses it for a missing `vector` extension.)
   */
  readonly configuration?: ((code: string, reason: string) => string | undefined) | undefined;
}

/**
 * The driver's error under drizzle's `DrizzleQueryError` (whose own message lists the SQL parameters,
 * which may be user content, so it is never repeated). Every driver sets a 5-character SQLSTATE `code`.
 */
function findPostgresError(error: unknown): { code: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, message: typeof message === 'string' ? message : code };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns a failed query (node-postgres, Neon, PGlite, postgres.js, through drizzle or not) into a Neptune
 * error someone can act on: a missing table is a configuration problem, a refused value a validation
 * problem, a statement timeout a timeout, a lost connection a retryable store error; syntax, permission
 * and constraint errors (classes 42 and 23) are not retryable. `what` names the operation, e.g.
 * `pgvectorStore.query on "neptune_chunks"`; the SQL parameters are never repeated.
 */
export function mapPostgresError(error: unknown, what: string, hints: PostgresErrorHints): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  const found = findPostgresError(error);
  const reason = found?.message ?? (error instanceof Error ? error.message : describeValue(error));
  const code = found?.code ?? '';
  const details = { code: found?.code, operation: what };
  const configuration =
    hints.configuration?.(code, reason) ??
    (code === '42P01' || code === '42703' ? hints.missingSchema : undefined);
  if (configuration !== undefined) {
    return new ConfigurationError({
      message: `${what} failed: ${reason}. ${configuration}`,
      cause: error,
      details,
    });
  }
  if (code.startsWith('22') || code === '23514') {
    return new ValidationError({
      message: `${what}: Postgres refused a value (${reason}). ${hints.refusedValue}`,
      cause: error,
      details,
    });
  }
  if (code === '57014') {
    return new TimeoutError({
      message: `${what} was cancelled by a statement timeout: ${reason}.`,
      cause: error,
      details,
    });
  }
  return new StoreError({
    message: `${what} failed: ${reason}.`,
    cause: error,
    // Connection failures, resource limits and serialization conflicts may pass on a retry.
    isRetryable: !code.startsWith('42') && !code.startsWith('23'),
    details,
  });
}
