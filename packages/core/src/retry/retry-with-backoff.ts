import { sleep, throwIfAborted } from '../async';
import { checkArgument } from '../validation';

const isNonNegative = (value: unknown) => typeof value === 'number' && value >= 0 && !Number.isNaN(value);

/**
 * What `shouldRetry` decides about a failure: `false` rethrows it, `true` retries after the computed
 * backoff, and `{ delayMs }` retries after the wait the server asked for (`Retry-After`) instead.
 */
export type RetryDecision = boolean | { readonly delayMs: number };

/** Options of `retryWithBackoff`: how many retries, how long the waits, and which failures are retried. */
export interface RetryWithBackoffOptions {
  /** Attempts after the first one; 0 disables retrying. */
  readonly maxRetries: number;
  /** The backoff ceiling for the first retry, in ms; it doubles with each retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  /** No wait is longer than this, in ms; a server asking for more ends the retries at once. */
  readonly maxDelayMs: number;
  /** Ends the retries, and any wait between them, with `AbortError`. */
  readonly signal?: AbortSignal | undefined;
  /** Called only while retries remain, with the failed attempt's index (0 for the first). */
  readonly shouldRetry: (error: unknown, attempt: number) => RetryDecision;
  /** Called before each wait, for logging and counting. `retry` counts from 1. */
  readonly onRetry?: ((event: { retry: number; delayMs: number; error: unknown }) => void) | undefined;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  readonly random?: (() => number) | undefined;
}

/**
 * Exponential backoff with full jitter: a uniform wait between 0 and `min(maxDelayMs, baseDelayMs * 2^retry)`.
 * Full jitter spreads out clients that failed together, so they do not all come back at the same moment.
 */
export function backoffDelayMs(
  retry: number,
  options: Pick<RetryWithBackoffOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  checkArgument(
    Number.isInteger(retry) && retry >= 0,
    'backoffDelayMs: retry',
    'an integer, 0 or more',
    retry,
  );
  checkArgument(
    typeof options === 'object' &&
      options !== null &&
      isNonNegative(options.baseDelayMs) &&
      isNonNegative(options.maxDelayMs) &&
      (options.random === undefined || typeof options.random === 'function'),
    'backoffDelayMs: options',
    '{ baseDelayMs, maxDelayMs } in ms, 0 or more, with an optional random function',
    options,
  );
  const ceilingMs = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor((options.random ?? Math.random)() * ceilingMs);
}

/**
 * Runs `operation` until it succeeds, `shouldRetry` refuses the error, or the retries run out; then rethrows
 * the last error. A server-requested wait is honoured exactly; when it is longer than `maxDelayMs` we stop at
 * once, because an earlier retry would only be refused again. Aborting the signal ends any wait with
 * `AbortError` (from `sleep`).
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryWithBackoffOptions,
): Promise<T> {
  checkArgument(typeof operation === 'function', 'retryWithBackoff: operation', 'a function', operation);
  checkArgument(
    typeof options === 'object' &&
      options !== null &&
      Number.isInteger(options.maxRetries) &&
      options.maxRetries >= 0 &&
      typeof options.shouldRetry === 'function',
    'retryWithBackoff: options',
    '{ maxRetries (an integer, 0 or more), baseDelayMs, maxDelayMs, shouldRetry (a function) }',
    options,
  );
  backoffDelayMs(0, options);
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal);
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.maxRetries || options.signal?.aborted) throw error;
      const decision = options.shouldRetry(error, attempt);
      if (decision === false) throw error;
      const serverDelayMs = decision === true ? undefined : decision.delayMs;
      if (serverDelayMs !== undefined && serverDelayMs > options.maxDelayMs) throw error;
      const delayMs = serverDelayMs ?? backoffDelayMs(attempt, options);
      options.onRetry?.({ retry: attempt + 1, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
