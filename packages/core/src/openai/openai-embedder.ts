import type OpenAI from 'openai';
import { z } from 'zod';
import { throwIfAborted } from '../async';
import type { Embedder, EmbedOptions } from '../contracts/embedder';
import { DimensionMismatchError, ProviderError, ValidationError } from '../errors';
import { emitEmbeddingCall, OPENAI_PROVIDER, reportFailure } from '../telemetry/model-call-events';
import { defaultTelemetry } from '../telemetry/telemetry-channel';
import { estimateTokens } from '../text/estimate-tokens';
import { parseOptions } from '../validation';
import { callOpenAI } from './call-openai';
import { type EmbeddingBatch, planEmbeddingBatches } from './embedding-batches';
import { resolveEmbeddingDimensions } from './embedding-dimensions';
import { linkedAbortController } from './linked-abort-controller';
import { mapOpenAIError } from './map-openai-error';
import { mapWithConcurrency } from './map-with-concurrency';
import { resolveOpenAIClient } from './openai-client';
import { openaiConnectionOptionsShape, positiveInteger } from './openai-options';

const openaiEmbedderOwnShape = {
  /** The embedding model's name. Default `text-embedding-3-small`. */
  model: z.string().min(1).default('text-embedding-3-small'),
  /** Vector length; sent to the API for text-embedding-3 models to get shortened vectors. */
  dimensions: positiveInteger.optional(),
  /** Limit for one request attempt, in ms. Default 30,000. */
  timeoutMs: positiveInteger.default(30_000),
  /** Requests in flight at once for one `embed()` call. Default 4. */
  concurrency: positiveInteger.default(4),
  /** Texts in one embeddings request. Default 2,048, the API's limit. */
  maxInputsPerRequest: positiveInteger.default(2048),
  /** Tokens in one embeddings request, all inputs together. Default 300,000, the API's limit. */
  maxTokensPerRequest: positiveInteger.default(300_000),
  /** Tokens in one input. Default 8,191, the models' context. */
  maxTokensPerInput: positiveInteger.default(8191),
  /** Cut inputs over `maxTokensPerInput` instead of refusing them with a `ValidationError`. Default false. */
  truncate: z.boolean().default(false),
  /** Counts a text's tokens for batching; defaults to a conservative estimate (UTF-8 bytes / 3). */
  countTokens: z
    .custom<(text: string) => number>(
      (value) => typeof value === 'function',
      'expected a function (text) => number',
    )
    .optional(),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
const openaiEmbedderOptionsSchema: z.ZodObject<
  typeof openaiConnectionOptionsShape & typeof openaiEmbedderOwnShape
> = z.object({ ...openaiConnectionOptionsShape, ...openaiEmbedderOwnShape });

/**
 * Options of `openaiEmbedder`: the model, dimensions, batching limits, and the client or how to build one.
 */
export type OpenAIEmbedderOptions = z.input<typeof openaiEmbedderOptionsSchema>;

export interface OpenAIEmbedder extends Embedder {
  /** The underlying `openai` client, for calls Neptune does not wrap. */
  readonly client: OpenAI;
}

/** Turns one response into vectors in input order, checking count and length. */
function toVectors(
  response: OpenAI.CreateEmbeddingResponse,
  batch: EmbeddingBatch,
  dimensions: number,
): Float32Array[] {
  if (response.data.length !== batch.texts.length) {
    throw new ProviderError({
      message: `The embeddings response held ${response.data.length} vectors for ${batch.texts.length} inputs. The endpoint does not behave like OpenAI's; check the \`baseURL\`.`,
    });
  }
  const ordered = [...response.data].sort((a, b) => a.index - b.index);
  return ordered.map((item) => {
    const vector = Float32Array.from(item.embedding);
    if (vector.length !== dimensions) {
      throw new DimensionMismatchError({
        message: `Model "${response.model}" returned ${vector.length}-dimensional vectors, but the embedder was created for ${dimensions}. Set the \`dimensions\` option to ${vector.length}, or use a model that returns ${dimensions}.`,
        details: { expected: dimensions, received: vector.length },
      });
    }
    return vector;
  });
}

/**
 * An `Embedder` on OpenAI's embeddings API (or any compatible endpoint). Splits the texts into requests
 * bounded by input count and tokens, runs up to `concurrency` of them at once, and returns float32 vectors
 * in input order.
 */
export function openaiEmbedder(options: OpenAIEmbedderOptions = {}): OpenAIEmbedder {
  const settings = parseOptions(openaiEmbedderOptionsSchema, options, 'openaiEmbedder options');
  const client = resolveOpenAIClient(settings, 'openaiEmbedder');
  const { dimensions, sendToApi } = resolveEmbeddingDimensions(settings.model, settings.dimensions);
  const telemetry = settings.telemetry ?? defaultTelemetry();
  const what = `The OpenAI embeddings request (${settings.model})`;
  const countTokens = settings.countTokens ?? estimateTokens;

  const embedBatch = async (batch: EmbeddingBatch, signal: AbortSignal) => {
    const { value } = await callOpenAI(
      (attemptSignal) =>
        client.embeddings.create(
          {
            model: settings.model,
            input: [...batch.texts],
            encoding_format: 'float',
            ...(sendToApi ? { dimensions } : {}),
          },
          { signal: attemptSignal, maxRetries: 0 },
        ),
      { ...settings, what, signal },
    );
    return {
      vectors: toVectors(value, batch, dimensions),
      tokens: value.usage?.prompt_tokens ?? batch.tokens,
    };
  };

  const embed = async (
    texts: readonly string[],
    embedOptions: EmbedOptions = {},
  ): Promise<Float32Array[]> => {
    if (!Array.isArray(texts)) {
      throw new ValidationError({
        message: 'embed() expects an array of strings; wrap a single text in [ ].',
      });
    }
    throwIfAborted(embedOptions.signal, what);
    if (texts.length === 0) return [];
    const batches = planEmbeddingBatches(texts, { ...settings, countTokens });
    const startedMs = performance.now();
    // One signal for all batches: the caller's abort, or the first failure, cancels the others.
    const { controller, dispose } = linkedAbortController(embedOptions.signal);
    try {
      const results = await mapWithConcurrency(batches, settings.concurrency, (batch) =>
        embedBatch(batch, controller.signal),
      );
      emitEmbeddingCall(telemetry, {
        model: settings.model,
        inputs: texts.length,
        inputTokens: results.reduce((sum, result) => sum + result.tokens, 0),
        durationMs: performance.now() - startedMs,
      });
      return results.flatMap((result) => result.vectors);
    } catch (error) {
      controller.abort();
      throw reportFailure(telemetry, mapOpenAIError(error, { what }));
    } finally {
      dispose();
    }
  };

  return { provider: OPENAI_PROVIDER, model: settings.model, dimensions, client, embed };
}
