import { AbortError, TimeoutError } from '../errors';

/** How long one Postgres call may take by default before it fails as retryable: 10 s. */
export const DEFAULT_POSTGRES_QUERY_TIMEOUT_MS = 10_000;

export interface BoundedQueryOptions {
  /** Names the call in errors: `drizzleConversationStore.appendMessages`. */
  readonly what: string;
  /** The longest the call may take, in ms. */
  readonly timeoutMs: number;
  /** The caller's signal: when it fires the call ends at once with `AbortError`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs one Postgres call with a bound: it settles by `timeoutMs` with a retryable `TimeoutError`, or as
 * soon as the caller's signal fires with `AbortError`, whatever the connection does. A frozen connection
 * (a server or route that stops answering) would otherwise leave the call pending for good, since
 * drivers wait for a reply without a deadline of their own. A call that loses the race is left to settle
 * on its own (its outcome is dropped): no driver offers a portable way to cancel, so for node-postgres
 * also set `query_timeout` or `statement_timeout` on the pool to free the connection.
 */
export function boundedQuery<T>(query: () => Promise<T>, options: BoundedQueryOptions): Promise<T> {
  const { what, timeoutMs, signal } = options;
  if (signal?.aborted) {
    return Promise.reject(
      new AbortError({ message: `${what} was aborted by the caller's AbortSignal.`, cause: signal.reason }),
    );
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new TimeoutError({
            message: `${what} got no answer from Postgres within ${timeoutMs} ms (queryTimeoutMs): the connection may be frozen or the server overloaded. The call can be retried.`,
            details: { operation: what, timeoutMs },
          }),
        ),
      );
    }, timeoutMs);
    const onAbort = () =>
      finish(() =>
        reject(
          new AbortError({
            message: `${what} was aborted by the caller's AbortSignal.`,
            cause: signal?.reason,
          }),
        ),
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    let running: Promise<T>;
    try {
      running = Promise.resolve(query());
    } catch (error) {
      finish(() => reject(error));
      return;
    }
    running.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
