import type { EmbeddingModelV3, LanguageModelV3, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { z } from 'zod';
import { throwIfAborted } from '../async';
import { generateStructured } from '../chat/structured-output';
import type {
  ChatModel,
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  StructuredRequest,
  StructuredResult,
} from '../contracts/chat-model';
import type { Embedder, EmbedOptions } from '../contracts/embedder';
import { AbortError, NeptuneError, ProviderError, ValidationError } from '../errors';
import { emitEmbeddingCall, emitModelCall, reportFailure } from '../openai/openai-telemetry';
import { parseRetryAfter, retryWithBackoff, shouldRetryNeptuneError } from '../retry';
import { defaultTelemetry, type TelemetryChannel } from '../telemetry/telemetry-channel';
import { fromAiSdkFinishReason, fromAiSdkUsage, toAiSdkPrompt } from './convert-messages';

export interface FromAiSdkOptions {
  /** Where `model-call`/`embedding-call` and `error` events go. Defaults to `defaultTelemetry()`. */
  readonly telemetry?: TelemetryChannel | undefined;
  /**
   * Retries of a failed call that the provider marks retryable (429, 5xx), with exponential backoff and
   * full jitter, honouring `Retry-After`. Default 2. (The AI SDK retries in `generateText`, not in the
   * model itself, so a model used directly needs its own.) A stream is not retried once it has started.
   */
  readonly maxRetries?: number | undefined;
}

/**
 * One provider call: retried while the provider says the failure is retryable, every failure mapped to a
 * Neptune error, the final one reported as an `error` event. Returns the value and the retries it took.
 */
async function callProvider<T>(
  context: { options: FromAiSdkOptions; telemetry: TelemetryChannel; what: string; source: string },
  signal: AbortSignal | undefined,
  run: () => PromiseLike<T>,
): Promise<{ value: T; retries: number }> {
  let retries = 0;
  try {
    const value = await retryWithBackoff(
      async () => {
        try {
          return await run();
        } catch (error) {
          throw mapAiSdkError(error, context.what);
        }
      },
      {
        maxRetries: context.options.maxRetries ?? 2,
        baseDelayMs: 500,
        maxDelayMs: 20_000,
        signal,
        shouldRetry: shouldRetryNeptuneError,
        onRetry: () => void retries++,
      },
    );
    return { value, retries };
  } catch (error) {
    throw reportFailure(context.telemetry, mapAiSdkError(error, context.what), context.source);
  }
}

/** What an AI SDK provider threw, as a Neptune error: `APICallError.isRetryable` and status carried over. */
function mapAiSdkError(error: unknown, what: string): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'ResponseAborted')) {
    return new AbortError({ message: `${what} was aborted by the caller's AbortSignal.`, cause: error });
  }
  const facts = error as { statusCode?: unknown; isRetryable?: unknown; message?: unknown };
  const status = typeof facts.statusCode === 'number' ? facts.statusCode : undefined;
  const headers = (error as { responseHeaders?: Record<string, string> }).responseHeaders;
  const retryAfterMs =
    headers === undefined
      ? undefined
      : parseRetryAfter({ get: (name: string) => headers[name.toLowerCase()] ?? null });
  return new ProviderError({
    message: `${what} failed${status === undefined ? '' : ` with HTTP ${status}`}: ${
      error instanceof Error ? error.message : String(error)
    }`,
    cause: error,
    isRetryable: facts.isRetryable === true,
    details: status === undefined ? undefined : { status, retryAfterMs },
  });
}

/**
 * A Vercel AI SDK language model (`openai('gpt-4o-mini')`, `anthropic(...)`, any provider) as a Neptune
 * `ChatModel`, so Neptune's model-backed features (query expansion, reranking, memory extraction and
 * summaries) run on the provider you already use. Calls are reported as `model-call` events; structured
 * output goes through `generateStructured` with its one repair attempt.
 */
export function fromLanguageModel(model: LanguageModelV3, options: FromAiSdkOptions = {}): ChatModel {
  const telemetry = options.telemetry ?? defaultTelemetry();
  const what = `The ${model.provider} model ${model.modelId}`;
  const context = { options, telemetry, what, source: model.provider };
  const callOptions = (request: ChatRequest) => ({
    prompt: toAiSdkPrompt(request.messages),
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    abortSignal: request.signal,
  });

  async function generate(
    request: ChatRequest,
    operation: 'chat' | 'structured' = 'chat',
  ): Promise<ChatResult> {
    throwIfAborted(request.signal, what);
    const startedAt = performance.now();
    const { value: result, retries } = await callProvider(context, request.signal, () =>
      model.doGenerate(callOptions(request)),
    );
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    const usage = fromAiSdkUsage(result.usage);
    const finishReason = fromAiSdkFinishReason(result.finishReason);
    emitModelCall(telemetry, {
      provider: model.provider,
      model: model.modelId,
      operation,
      usage,
      durationMs: performance.now() - startedAt,
      finishReason,
      retries,
      scope: request.scope,
      requestId: request.requestId,
    });
    return { text, usage, finishReason };
  }

  return {
    provider: model.provider,
    model: model.modelId,
    generate: (request) => generate(request),
    async *stream(request): AsyncIterable<ChatStreamPart> {
      throwIfAborted(request.signal, what);
      const startedAt = performance.now();
      let firstTokenMs: number | undefined;
      const { value: opened, retries } = await callProvider(context, request.signal, () =>
        model.doStream(callOptions(request)),
      );
      const reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> = opened.stream.getReader();
      let finished = false;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            finished = true;
            return;
          }
          if (value.type === 'text-delta') {
            firstTokenMs ??= performance.now() - startedAt;
            yield { type: 'text-delta', text: value.delta };
          } else if (value.type === 'error') {
            throw mapAiSdkError(value.error, what);
          } else if (value.type === 'finish') {
            const usage = fromAiSdkUsage(value.usage);
            const finishReason = fromAiSdkFinishReason(value.finishReason);
            emitModelCall(telemetry, {
              provider: model.provider,
              model: model.modelId,
              operation: 'stream',
              usage,
              durationMs: performance.now() - startedAt,
              timeToFirstTokenMs: firstTokenMs,
              finishReason,
              retries,
              scope: request.scope,
              requestId: request.requestId,
            });
            yield { type: 'finish', usage, finishReason };
          }
        }
      } catch (error) {
        throw reportFailure(telemetry, mapAiSdkError(error, what), model.provider);
      } finally {
        // A consumer that stops early (or a failure) must not leave the provider's response streaming.
        if (!finished) await reader.cancel().catch(() => undefined);
        reader.releaseLock();
      }
    },
    generateObject<Schema extends z.ZodType>(
      request: StructuredRequest<Schema>,
    ): Promise<StructuredResult<z.output<Schema>>> {
      return generateStructured({ request, generate: (call) => generate(call, 'structured') });
    },
  };
}

export interface FromEmbeddingModelOptions extends FromAiSdkOptions {
  /** The vectors' length. Checked against every answer: a mismatch throws instead of corrupting a store. */
  readonly dimensions: number;
}

/**
 * A Vercel AI SDK embedding model (`openai.embedding('text-embedding-3-small')`, ...) as a Neptune
 * `Embedder`, for `createKnowledgeBase({ embedder })`. Batches follow the model's `maxEmbeddingsPerCall`.
 */
export function fromEmbeddingModel(model: EmbeddingModelV3, options: FromEmbeddingModelOptions): Embedder {
  const telemetry = options.telemetry ?? defaultTelemetry();
  const what = `The ${model.provider} embedding model ${model.modelId}`;
  const context = { options, telemetry, what, source: model.provider };
  if (!Number.isInteger(options.dimensions) || options.dimensions <= 0) {
    throw new ValidationError({
      message: `fromEmbeddingModel needs { dimensions }, the model's vector length (1536 for text-embedding-3-small); got ${String(options.dimensions)}.`,
    });
  }
  return {
    provider: model.provider,
    model: model.modelId,
    dimensions: options.dimensions,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}): Promise<Float32Array[]> {
      texts.forEach((text, index) => {
        if (typeof text !== 'string' || text.trim() === '') {
          throw new ValidationError({
            message: `Text ${index} to embed is empty; drop empty texts before embedding.`,
          });
        }
      });
      if (texts.length === 0) return [];
      const batchSize = (await model.maxEmbeddingsPerCall) ?? texts.length;
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        throwIfAborted(embedOptions.signal, what);
        const values = texts.slice(start, start + batchSize);
        const startedAt = performance.now();
        const { value: result } = await callProvider(context, embedOptions.signal, () =>
          model.doEmbed({ values, abortSignal: embedOptions.signal }),
        );
        for (const embedding of result.embeddings) {
          if (embedding.length !== options.dimensions) {
            throw new ValidationError({
              message: `${what} returned ${embedding.length} dimensions, not the ${options.dimensions} this embedder was created with. Pass the model's real dimensions.`,
            });
          }
          vectors.push(Float32Array.from(embedding));
        }
        emitEmbeddingCall(telemetry, {
          provider: model.provider,
          model: model.modelId,
          inputs: values.length,
          inputTokens: result.usage?.tokens ?? 0,
          durationMs: performance.now() - startedAt,
        });
      }
      return vectors;
    },
  };
}
