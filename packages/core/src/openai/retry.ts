import { sleep, throwIfAborted } from '../async';

export interface RetryPolicy {
  /** Attempts after the first one; 0 disables retrying. */
  readonly maxRetries: number;
  /** The backoff ceiling for the first retry, in ms; it doubles with each retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  /** No wait is longer than this, in ms. */
  readonly maxDelayMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly isRetryable: (error: unknown) => boolean;
  /** The wait the server asked for (`Retry-After`), in ms, which replaces the computed backoff. */
  readonly serverDelayMs?: ((error: unknown) => number | undefined) | undefined;
  /** Called before each wait, for logging and counting. */
  readonly onRetry?: ((event: { retry: number; delayMs: number; error: unknown }) => void) | undefined;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  readonly random?: (() => number) | undefined;
}

/**
 * Exponential backoff with full jitter: a uniform wait between 0 and `min(maxDelayMs, baseDelayMs * 2^retry)`.
 * Full jitter spreads out clients that failed together, so they do not all come back at the same moment.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy): number {
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor((policy.random ?? Math.random)() * ceilingMs);
}

/**
 * Runs `task` until it succeeds, the error is not retryable, or the retries run out; then rethrows the last
 * error. A server-requested wait is honoured exactly; when it is longer than `maxDelayMs` we stop at once,
 * because an earlier retry would only be refused again. Aborting the signal ends any wait with `AbortError`.
 */
export async function retry<T>(task: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(policy.signal);
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= policy.maxRetries || !policy.isRetryable(error) || policy.signal?.aborted) throw error;
      const serverDelayMs = policy.serverDelayMs?.(error);
      if (serverDelayMs !== undefined && serverDelayMs > policy.maxDelayMs) throw error;
      const delayMs = serverDelayMs ?? backoffDelayMs(attempt, policy);
      policy.onRetry?.({ retry: attempt + 1, delayMs, error });
      await sleep(delayMs, policy.signal);
    }
  }
}
