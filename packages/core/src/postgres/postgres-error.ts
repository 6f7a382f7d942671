import {
  ConfigurationError,
  describeValue,
  NeptuneError,
  StoreError,
  TimeoutError,
  ValidationError,
} from '../errors';

/** The advice a Postgres-backed store adds to the errors it maps, so that they say what to fix. */
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

interface FoundFailure {
  /** A 5-character SQLSTATE, or a Node system error code such as `ECONNREFUSED`, or ''. */
  readonly code: string;
  /** Words safe to show: never drizzle's message (it lists the parameters), never a refused value. */
  readonly reason: string;
  /** The error the reason was read from, for its stack frames. */
  readonly source: Error | undefined;
}

/** drizzle's `DrizzleQueryError` (and any wrapper like it) carries the SQL and its parameters. */
function carriesParameters(error: object): boolean {
  const { message } = error as { message?: unknown };
  return 'params' in error || (typeof message === 'string' && message.startsWith('Failed query:'));
}

/**
 * A data exception (class 22) quotes the value Postgres refused (`invalid input syntax for type uuid:
 * "..."`), which may be user content; identifiers in other classes (`relation "t"`) are kept.
 */
function withoutValues(code: string, message: string): string {
  return code.startsWith('22') ? message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"') : message;
}

/**
 * Walks the cause chain for the driver's error: a SQLSTATE (every driver sets one) or a Node system
 * error code (a refused or reset connection). A message is taken only from an error that does not
 * carry the SQL parameters.
 */
function findFailure(error: unknown): FoundFailure {
  let current: unknown = error;
  let fallback: FoundFailure | undefined;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    const source = current instanceof Error ? current : undefined;
    const text = typeof message === 'string' && !carriesParameters(current) ? message : undefined;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, reason: withoutValues(code, text ?? code), source };
    }
    if (fallback === undefined && text !== undefined) {
      fallback = {
        code: typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : '',
        reason: text,
        source,
      };
    }
    current = (current as { cause?: unknown }).cause;
  }
  if (fallback !== undefined) return fallback;
  const described = typeof error === 'object' && error !== null ? 'the query failed' : describeValue(error);
  return { code: '', reason: described, source: undefined };
}

/**
 * What the Neptune error keeps as its cause: the driver error's name, code, safe message and stack
 * frames, and nothing else. drizzle's error (its `query` and `params`) and the driver's fields
 * (`detail`, `where`) would otherwise reach every log or error tracker that prints causes.
 */
function safeCause(found: FoundFailure): Error {
  const cause = new Error(found.reason);
  const name = found.source?.name ?? 'Error';
  cause.name = name;
  if (found.code !== '') Object.assign(cause, { code: found.code });
  const frames = (found.source?.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  cause.stack = [`${name}: ${found.reason}`, ...frames].join('\n');
  return cause;
}

/**
 * Turns a failed query (node-postgres, Neon, PGlite, postgres.js, through drizzle or not) into a Neptune
 * error someone can act on: a missing table is a configuration problem, a refused value a validation
 * problem, a statement timeout a timeout, a lost connection a retryable store error; syntax, permission
 * and constraint errors (classes 42 and 23) are not retryable. `what` names the operation, e.g.
 * `pgvectorStore.query on "neptune_chunks"`. Neither the message nor the cause repeats the SQL
 * parameters or a refused value: they may be a user's words.
 */
export function mapPostgresError(error: unknown, what: string, hints: PostgresErrorHints): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  const found = findFailure(error);
  const { code, reason } = found;
  const cause = safeCause(found);
  const details = { code: code === '' ? undefined : code, operation: what };
  const configuration =
    hints.configuration?.(code, reason) ??
    (code === '42P01' || code === '42703' ? hints.missingSchema : undefined);
  if (configuration !== undefined) {
    return new ConfigurationError({ message: `${what} failed: ${reason}. ${configuration}`, cause, details });
  }
  if (code.startsWith('22') || code === '23514') {
    return new ValidationError({
      message: `${what}: Postgres refused a value (${reason}). ${hints.refusedValue}`,
      cause,
      details,
    });
  }
  if (code === '57014') {
    return new TimeoutError({
      message: `${what} was cancelled by a statement timeout: ${reason}.`,
      cause,
      details,
    });
  }
  return new StoreError({
    message: `${what} failed: ${reason}.`,
    cause,
    // Connection failures, resource limits and serialization conflicts may pass on a retry.
    isRetryable: !code.startsWith('42') && !code.startsWith('23'),
    details,
  });
}
