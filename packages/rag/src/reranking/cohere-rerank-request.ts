import { ProviderError, parseRetryAfter, withTimeout } from '@neptune/core';
import { z } from 'zod';

/** The body of `POST /v2/rerank`. */
export interface CohereRerankBody {
  readonly model: string;
  readonly query: string;
  readonly documents: readonly string[];
  readonly top_n: number;
  readonly max_tokens_per_doc?: number | undefined;
}

const cohereRerankResponseSchema = z.object({
  results: z.array(z.object({ index: z.number().int().min(0), relevance_score: z.number() })),
});

export type CohereRerankResponse = z.output<typeof cohereRerankResponseSchema>;

export interface CohereRerankRequest {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly apiKey: string;
  readonly body: CohereRerankBody;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

const MAX_ERROR_TEXT_LENGTH = 300;

/** Cohere answers errors as `{ "message": "..." }`; anything else is quoted as text, cut short. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message.slice(0, MAX_ERROR_TEXT_LENGTH);
  } catch {
    // Not JSON: a proxy's HTML page or plain text.
  }
  return text.slice(0, MAX_ERROR_TEXT_LENGTH) || response.statusText;
}

async function httpError(response: Response): Promise<ProviderError> {
  const status = response.status;
  const text = await errorText(response);
  const details = {
    provider: 'cohere',
    status,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  };
  if (status === 401 || status === 403) {
    return new ProviderError({
      code: 'authentication-failed',
      message: `Cohere refused the API key (HTTP ${status}: ${text}). Check the apiKey option or the COHERE_API_KEY environment variable.`,
      details,
    });
  }
  if (status === 429) {
    return new ProviderError({
      code: 'rate-limited',
      message: `Cohere rate-limited the rerank request (HTTP 429: ${text}). Retry later or raise the key's rate limit.`,
      isRetryable: true,
      details,
    });
  }
  const retryable = status === 408 || status >= 500;
  return new ProviderError({
    message: `Cohere rerank failed with HTTP ${status}: ${text}.${retryable ? '' : ' Check the model name and the request.'}`,
    isRetryable: retryable,
    details,
  });
}

/** One `POST {baseURL}/v2/rerank` with bearer auth, within `timeoutMs`; errors say what to fix and whether to retry. */
export async function requestCohereRerank(request: CohereRerankRequest): Promise<CohereRerankResponse> {
  return withTimeout(
    async (signal) => {
      let response: Response;
      try {
        response = await request.fetch(request.url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${request.apiKey}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(request.body),
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new ProviderError({
          message: `The Cohere rerank request to ${request.url} failed before an answer (${(error as Error).message}). Check baseURL and the network.`,
          cause: error,
          isRetryable: true,
          details: { provider: 'cohere' },
        });
      }
      if (!response.ok) throw await httpError(response);
      const parsed = cohereRerankResponseSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) {
        throw new ProviderError({
          message: `The answer from ${request.url} is not a Cohere rerank v2 response ({ results: [{ index, relevance_score }] }). Check baseURL.`,
          cause: parsed.error,
          details: { provider: 'cohere', status: response.status },
        });
      }
      return parsed.data;
    },
    { timeoutMs: request.timeoutMs, signal: request.signal, what: 'The Cohere rerank request' },
  );
}
