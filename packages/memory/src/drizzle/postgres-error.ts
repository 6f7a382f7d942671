import {
  ConfigurationError,
  describeValue,
  NeptuneError,
  StoreError,
  TimeoutError,
  ValidationError,
} from '@neptune/core';

/**
 * The driver's error under drizzle's `DrizzleQueryError`, whose own message lists the SQL parameters
 * (user content), so it is never repeated. Every driver sets a 5-character SQLSTATE `code`.
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
 * Turns a failed query into an error someone can act on: a missing table is a configuration problem
 * (run the migrations), a refused value a validation problem, a lost connection or timeout retryable.
 * `what` names the operation, e.g. `drizzleConversationStore.appendMessages`.
 */
export function toNeptuneError(error: unknown, what: string): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  const found = findPostgresError(error);
  const reason = found?.message ?? (error instanceof Error ? error.message : describeValue(error));
  const code = found?.code ?? '';
  const details = { code: found?.code, operation: what };
  if (code === '42P01' || code === '42703') {
    return new ConfigurationError({
      message: `${what} failed: ${reason}. The memory tables are missing or out of date: call migrate(db) from @neptune/memory/drizzle once at deploy or start-up.`,
      cause: error,
      details,
    });
  }
  if (code.startsWith('22') || code === '23514') {
    return new ValidationError({
      message: `${what}: Postgres refused a value (${reason}). Check the ids, text and dates passed.`,
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
    // Connection failures and serialization conflicts may pass on a retry; syntax, permission and
    // constraint errors (classes 42 and 23) will not.
    isRetryable: !code.startsWith('42') && !code.startsWith('23'),
    details,
  });
}
