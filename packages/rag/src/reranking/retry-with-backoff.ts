import { sleep, throwIfAborted } from '@neptune/core';

export interface BackoffPolicy {
  /** Attempts after the first; 0 disables retrying. */
  readonly maxRetries: number;
  /** Ceiling of the first wait in ms; it doubles with each retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly isRetryable: (error: unknown) => boolean;
  /** The wait the server asked for (`Retry-After`), in ms, used instead of the computed one. */
  readonly serverDelayMs?: ((error: unknown) => number | undefined) | undefined;
  readonly random?: (() => number) | undefined;
}

/**
 * Runs `task` until it succeeds, fails with an error that is not retryable, or runs out of retries.
 * Waits use exponential backoff with full jitter, so clients that failed together do not return together;
 * a server's `Retry-After` is honoured, and one longer than `maxDelayMs` ends the retries at once.
 */
export async function retryWithBackoff<T>(
  task: (attempt: number) => Promise<T>,
  policy: BackoffPolicy,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(policy.signal);
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= policy.maxRetries || !policy.isRetryable(error) || policy.signal?.aborted) throw error;
      const serverDelayMs = policy.serverDelayMs?.(error);
      if (serverDelayMs !== undefined && serverDelayMs > policy.maxDelayMs) throw error;
      const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await sleep(serverDelayMs ?? Math.floor((policy.random ?? Math.random)() * ceilingMs), policy.signal);
    }
  }
}

/** `Retry-After` in ms: seconds (fractions allowed) or an HTTP date; `undefined` when absent or unreadable. */
export function retryAfterMs(headers: Headers, nowMs = Date.now()): number | undefined {
  const header = headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}
