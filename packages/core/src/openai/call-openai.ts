import { withTimeout } from '../async';
import { type NeptuneError, ProviderError, TimeoutError } from '../errors';
import { retryWithBackoff, shouldRetryNeptuneError } from '../retry';
import { mapOpenAIError } from './map-openai-error';

export interface OpenAICallPolicy {
  /** The operation, as the subject of a sentence, for error messages. */
  readonly what: string;
  /** The limit for one attempt, in ms. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface OpenAICallResult<T> {
  readonly value: T;
  /** Attempts after the first, for telemetry. */
  readonly retries: number;
}

/** Says in the final error how many retries were spent, so "rate limited" is not mistaken for a first try. */
function withRetryCount(error: NeptuneError, retries: number): NeptuneError {
  if (retries === 0) return error;
  const options = {
    code: error.code,
    message: `${error.message} Gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.`,
    cause: error.cause,
    isRetryable: error.isRetryable,
    details: { ...error.details, retries },
  };
  if (ProviderError.isInstance(error)) return new ProviderError(options);
  if (TimeoutError.isInstance(error)) return new TimeoutError(options);
  return error;
}

/**
 * One OpenAI call with Neptune's policy: each attempt under `timeoutMs` (the request is cancelled when it
 * runs out), errors mapped to typed errors, retryable ones retried with jittered backoff or the server's
 * `Retry-After`, and the caller's signal ending everything with `AbortError`.
 */
export async function callOpenAI<T>(
  task: (signal: AbortSignal) => Promise<T>,
  policy: OpenAICallPolicy,
): Promise<OpenAICallResult<T>> {
  let retries = 0;
  const attempt = () =>
    withTimeout(
      async (signal) => {
        try {
          return await task(signal);
        } catch (error) {
          throw mapOpenAIError(error, policy);
        }
      },
      { timeoutMs: policy.timeoutMs, signal: policy.signal, what: policy.what },
    );
  try {
    const value = await retryWithBackoff(attempt, {
      maxRetries: policy.maxRetries,
      baseDelayMs: policy.retryBaseDelayMs,
      maxDelayMs: policy.maxRetryDelayMs,
      signal: policy.signal,
      shouldRetry: shouldRetryNeptuneError,
      onRetry: () => {
        retries++;
      },
    });
    return { value, retries };
  } catch (error) {
    throw withRetryCount(mapOpenAIError(error, policy), retries);
  }
}
