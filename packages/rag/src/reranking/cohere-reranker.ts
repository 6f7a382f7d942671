import {
  ConfigurationError,
  defaultTelemetry,
  parseInput,
  parseOptions,
  type Reranker,
  resolveSetting,
  retryWithBackoff,
  shouldRetryNeptuneError,
  throwIfAborted,
} from '@neptune/core';
import { z } from 'zod';
import { reportStrategyFailure } from '../expansion/report-strategy-failure';
import { telemetrySchema } from '../expansion/strategy-option-schemas';
import { requestCohereRerank } from './cohere-rerank-request';
import { rerankInputSchema } from './rerank-input';
import { inputOrder, orderByScores } from './rerank-order';

const cohereRerankerOptionsSchema = z.object({
  /** Default: the COHERE_API_KEY environment variable. */
  apiKey: z.string().optional(),
  /** Without the `/v2` path. Any server speaking Cohere's rerank v2 API works. Default https://api.cohere.com. */
  baseURL: z
    .url('baseURL must be an absolute URL such as https://api.cohere.com')
    .default('https://api.cohere.com'),
  /** Default `rerank-v3.5`. */
  model: z.string().min(1).default('rerank-v3.5'),
  /** Default: the global `fetch`. */
  fetch: z
    .custom<typeof fetch>((value) => typeof value === 'function', 'must be a fetch function')
    .optional(),
  /** Time limit of each attempt, in ms. Default 5000: reranking sits on the request path. */
  timeoutMs: z.number().int().positive().default(5000),
  /** Retries after a 429, a 5xx, a timeout or a network error. Default 2. */
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** First backoff ceiling in ms, doubled per retry. Default 250. */
  retryBaseDelayMs: z.number().int().min(0).default(250),
  /** Longest wait between attempts in ms; a longer `Retry-After` ends the retries. Default 4000. */
  retryMaxDelayMs: z.number().int().min(0).default(4000),
  /** Cohere cuts longer documents to this many tokens. Default: Cohere's own (4096). */
  maxTokensPerDocument: z.number().int().positive().optional(),
  telemetry: telemetrySchema.optional(),
});

/** Options of `cohereReranker`. */
export type CohereRerankerOptions = z.input<typeof cohereRerankerOptionsSchema>;

/** Cohere advises at most 1000 documents per request; candidates past that stay unscored. */
const MAX_DOCUMENTS = 1000;

/**
 * Cohere's rerank v2 API (or any server speaking it) as a `Reranker`: one `POST {baseURL}/v2/rerank` for
 * all candidates, retried on 429, 5xx, timeouts and network errors with backoff. Relevance scores are
 * already in [0, 1]. When the request still fails, the input order is returned and an `error` event
 * emitted, so retrieval goes on; only the caller's abort is rethrown.
 */
export function cohereReranker(options: CohereRerankerOptions = {}): Reranker {
  const settings = parseOptions(cohereRerankerOptionsSchema, options, 'cohereReranker options');
  const apiKey = resolveSetting({
    value: settings.apiKey,
    optionName: 'apiKey',
    environmentVariable: 'COHERE_API_KEY',
    description: 'The Cohere API key',
  });
  const fetchFunction = settings.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== 'function') {
    throw new ConfigurationError({
      message: 'cohereReranker needs fetch, and this runtime has none. Pass one as the `fetch` option.',
    });
  }
  const url = `${settings.baseURL.replace(/\/+$/u, '')}/v2/rerank`;
  const telemetry = settings.telemetry ?? defaultTelemetry();

  return {
    name: `cohere-reranker:${settings.model}`,
    async rerank(query, candidates, callOptions) {
      const input = parseInput(
        rerankInputSchema,
        { query, candidates, topN: callOptions?.topN, signal: callOptions?.signal },
        'cohereReranker.rerank() arguments',
      );
      throwIfAborted(input.signal, 'Reranking');
      // Blank documents are not worth a request slot; they simply stay unscored.
      const sent = input.candidates
        .map((candidate, index) => ({ text: candidate.text, index }))
        .filter((document) => document.text.trim() !== '')
        .slice(0, MAX_DOCUMENTS);
      if (sent.length === 0 || input.topN === 0) return inputOrder(input.candidates, input.topN);
      try {
        const response = await retryWithBackoff(
          () =>
            requestCohereRerank({
              fetch: fetchFunction,
              url,
              apiKey,
              body: {
                model: settings.model,
                query: input.query,
                documents: sent.map((document) => document.text),
                top_n: Math.min(input.topN, sent.length),
                max_tokens_per_doc: settings.maxTokensPerDocument,
              },
              timeoutMs: settings.timeoutMs,
              signal: input.signal,
            }),
          {
            maxRetries: settings.maxRetries,
            baseDelayMs: settings.retryBaseDelayMs,
            maxDelayMs: settings.retryMaxDelayMs,
            signal: input.signal,
            shouldRetry: shouldRetryNeptuneError,
          },
        );
        const scores = new Map<number, number>();
        for (const result of response.results) {
          const original = sent[result.index]?.index;
          if (original !== undefined && !scores.has(original)) scores.set(original, result.relevance_score);
        }
        return orderByScores(input.candidates, scores, input.topN);
      } catch (error) {
        reportStrategyFailure({
          error,
          strategy: 'Cohere reranking',
          fallback: 'the previous order is kept',
          telemetry,
          signal: input.signal,
        });
        return inputOrder(input.candidates, input.topN);
      }
    },
  };
}
