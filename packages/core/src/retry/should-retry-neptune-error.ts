import { NeptuneError } from '../errors';
import type { RetryDecision } from './retry-with-backoff';

/**
 * A `shouldRetry` for operations that throw Neptune errors: retries those marked `isRetryable`, after the
 * wait the server asked for when the error carries one as `details.retryAfterMs`.
 */
export function shouldRetryNeptuneError(error: unknown): RetryDecision {
  if (!NeptuneError.isInstance(error) || !error.isRetryable) return false;
  const delayMs = error.details?.retryAfterMs;
  return typeof delayMs === 'number' ? { delayMs } : true;
}
