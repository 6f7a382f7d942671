import { ConfigurationError, describeValue, NeptuneError, StoreError } from '@neptune/core';

/**
 * Turns what the `@upstash/vector` client threw into a Neptune error. The client reports a server error
 * as `UpstashError` with the server's message only (no status), so the message decides: a rejected token
 * or an index of another shape is a configuration problem; anything else the server refused is a
 * non-retryable `StoreError`; a network failure is retryable.
 */
export function toUpstashError(error: unknown, what: string): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : describeValue(error);
  const fromServer = error instanceof Error && error.name === 'UpstashError';
  if (fromServer && /unauthori[sz]ed|forbidden|auth token/i.test(message)) {
    return new ConfigurationError({
      message: `${what}: Upstash Vector refused the token (${message}). Pass the index's REST token as token, or set UPSTASH_VECTOR_REST_TOKEN.`,
      cause: error,
    });
  }
  if (fromServer && /dimension|sparse|dense|hybrid/i.test(message)) {
    return new ConfigurationError({
      message: `${what}: the index does not take these vectors (${message}). Check that the store's dimensions and hybrid options match how the index was created.`,
      cause: error,
    });
  }
  return new StoreError({
    message: `${what} failed: ${message}.`,
    cause: error,
    isRetryable: !fromServer || /rate|limit|timeout|unavailable|internal/i.test(message),
  });
}
