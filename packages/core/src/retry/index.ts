export { type HeaderReader, parseRetryAfter } from './parse-retry-after';
export {
  backoffDelayMs,
  type RetryDecision,
  type RetryWithBackoffOptions,
  retryWithBackoff,
} from './retry-with-backoff';
export { shouldRetryNeptuneError } from './should-retry-neptune-error';
