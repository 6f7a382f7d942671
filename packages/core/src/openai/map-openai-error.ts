import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import { AbortError, ConfigurationError, NeptuneError, ProviderError, TimeoutError } from '../errors';
import { type HeaderReader, parseRetryAfter } from '../retry';

export interface OpenAIErrorContext {
  /** The operation, as the subject of a sentence: `The OpenAI chat request (gpt-4o-mini)`. */
  readonly what: string;
}

interface HttpErrorLike {
  readonly status: number;
  readonly message: string;
  readonly headers?: HeaderReader | undefined;
  readonly error?: { readonly message?: unknown; readonly code?: unknown } | undefined;
}

/** Duck-typed so that errors from another copy of the `openai` package (a user's own client) map too. */
function asHttpError(error: unknown): HttpErrorLike | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? (error as unknown as HttpErrorLike) : undefined;
}

/** The innermost cause's message: `fetch failed` alone does not say that the connection was refused. */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error && current.cause instanceof Error; depth++) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}

/** Turns whatever the openai client threw into a typed Neptune error. Neptune errors pass through. */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError) {
    return new AbortError({
      message: `${context.what} was aborted by the caller's AbortSignal.`,
      cause: error,
    });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError({
      message: `${context.what} timed out in the openai client. Raise the client's \`timeout\` or Neptune's \`timeoutMs\` option.`,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError({
      message: `${context.what} could not reach the server (${rootMessage(error)}). Check the network and the \`baseURL\` option or OPENAI_BASE_URL.`,
      cause: error,
      isRetryable: true,
    });
  }
  const httpError = asHttpError(error);
  if (httpError !== undefined) return mapHttpError(httpError, context);
  return new ProviderError({
    message: `${context.what} failed: ${error instanceof Error ? error.message : String(error)}.`,
    cause: error,
  });
}

function mapHttpError(error: HttpErrorLike, context: OpenAIErrorContext): NeptuneError {
  const { status } = error;
  const apiMessage = typeof error.error?.message === 'string' ? error.error.message : error.message;
  const openaiCode = typeof error.error?.code === 'string' ? error.error.code : undefined;
  const details = {
    status,
    openaiCode,
    requestId: error.headers?.get('x-request-id') ?? undefined,
    retryAfterMs: parseRetryAfter(error.headers),
  };
  if (status === 401 || status === 403) {
    return new ConfigurationError({
      code: 'authentication-failed',
      message: `OpenAI rejected the API key (${status}: ${apiMessage}). Check the key given as the \`apiKey\` option or in the OPENAI_API_KEY environment variable: it may be mistyped, revoked, or lack access to this model or organization.`,
      cause: error,
      details,
    });
  }
  // The server may say outright whether a retry can help (OpenAI sends `x-should-retry`).
  const shouldRetry = error.headers?.get('x-should-retry');
  const retryable = (byStatus: boolean) =>
    shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : byStatus;
  if (status === 429 && openaiCode === 'insufficient_quota') {
    return new ProviderError({
      code: 'rate-limited',
      message: `${context.what} was refused because the account's quota is used up (429: ${apiMessage}). Check the plan and billing of the OpenAI account; retrying will not help.`,
      cause: error,
      isRetryable: false,
      details,
    });
  }
  if (status === 429) {
    return new ProviderError({
      code: 'rate-limited',
      message: `${context.what} was rate limited (429: ${apiMessage}). Lower \`concurrency\`, raise \`maxRetries\`, or ask OpenAI for higher limits.`,
      cause: error,
      isRetryable: retryable(true),
      details,
    });
  }
  if (status >= 500 || status === 408 || status === 409) {
    return new ProviderError({
      message: `${context.what} failed on the server's side (${status}: ${apiMessage}). This is usually temporary; try again later.`,
      cause: error,
      isRetryable: retryable(true),
      details,
    });
  }
  const hint =
    status === 404
      ? ' Check the `model` option and the `baseURL`.'
      : ' Fix the request; retrying will not help.';
  return new ProviderError({
    message: `${context.what} was refused (${status}: ${apiMessage}).${hint}`,
    cause: error,
    isRetryable: retryable(false),
    details,
  });
}
