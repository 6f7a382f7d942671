import {
  ConfigurationError,
  describeValue,
  NeptuneError,
  StoreError,
  TimeoutError,
  ValidationError,
} from '@neptune/core';

interface PostgresErrorFields {
  readonly code: string;
  readonly message: string;
}

/**
 * The driver's error under drizzle's `DrizzleQueryError` (whose own message lists the SQL parameters,
 * which may be user content, so it is never repeated). Every driver sets a 5-character SQLSTATE `code`.
 */
function findPostgresError(error: unknown): PostgresErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, message: typeof message === 'string' ? message : String(code) };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns a failed query into a Neptune error someone can act on: a missing table or extension is a
 * configuration problem, a refused value is a validation problem, a lost connection or a timeout is
 * retryable. `what` names the operation and table, e.g. `pgvectorStore.query on "neptune_chunks"`.
 */
export function toNeptuneError(error: unknown, what: string): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  const found = findPostgresError(error);
  const reason = found?.message ?? (error instanceof Error ? error.message : describeValue(error));
  const details = { code: found?.code, operation: what };
  const code = found?.code ?? '';
  if (code === '42P01' || code === '42703') {
    return new ConfigurationError({
      message: `${what} failed: ${reason}. Create the table first: call ensureSchema() once at start-up, or add the migration SQL (migrationSql) to your migrations.`,
      cause: error,
      details,
    });
  }
  // 42704: type "vector" does not exist; 0A000 / 58P01: CREATE EXTENSION found no pgvector to install.
  if (['42704', '0A000', '58P01'].includes(code) && /vector/i.test(reason)) {
    return new ConfigurationError({
      message: `${what} failed: ${reason}. The pgvector extension is missing: run CREATE EXTENSION vector (Neon, Supabase and most hosts ship it), or use postgresKeywordIndex on a Postgres without pgvector.`,
      cause: error,
      details,
    });
  }
  if (code.startsWith('22')) {
    return new ValidationError({
      message: `${what}: Postgres refused a value (${reason}). Check the ids, text and metadata passed; Postgres text cannot hold the NUL character (\\u0000).`,
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
    // Connection failures, resource limits and serialization failures may pass on a retry; syntax and
    // permission errors (class 42) will not.
    isRetryable: !code.startsWith('42') && !code.startsWith('23'),
    details,
  });
}
