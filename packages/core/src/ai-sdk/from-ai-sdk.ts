import type { EmbeddingModelV3, LanguageModelV3, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { z } from 'zod';
import { assertAbortSignal, throwIfAborted, withTimeout } from '../async';
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
import {
  AbortError,
  ConfigurationError,
  describeValue,
  NeptuneError,
  ProviderError,
  ValidationError,
} from '../errors';
import { parseRetryAfter, retryWithBackoff, shouldRetryNeptuneError } from '../retry';
import { emitEmbeddingCall, emitModelCall, reportFailure } from '../telemetry/model-call-events';
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
  /**
   * Longest wait for one attempt, in ms: a provider that has not answered by then is cancelled (through
   * its `abortSignal`) and the attempt fails with a retryable `TimeoutError`. For a stream, also the
   * longest wait for each next part once it has started. Default 60,000 for a language model, 30,000 for
   * an embedding model. The caller's `signal` ends a call at any time with an `AbortError`.
   */
  readonly timeoutMs?: number | undefined;
}

interface ProviderContext {
  readonly options: FromAiSdkOptions;
  readonly telemetry: TelemetryChannel;
  readonly what: string;
  readonly source: string;
  readonly timeoutMs: number;
}

function checkOptions(options: unknown, what: string, defaultTimeoutMs: number): number {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({
      message: `${what}: options must be an object (received ${describeValue(options)}).`,
      details: { field: 'options' },
    });
  }
  const { maxRetries, timeoutMs } = options as FromAiSdkOptions;
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new ValidationError({
      message: `${what}: maxRetries must be an integer, 0 or more (received ${describeValue(maxRetries)}).`,
      details: { field: 'maxRetries' },
    });
  }
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new ValidationError({
      message: `${what}: timeoutMs must be a positive integer of milliseconds (received ${describeValue(timeoutMs)}).`,
      details: { field: 'timeoutMs' },
    });
  }
  return timeoutMs ?? defaultTimeoutMs;
}

/**
 * One provider call: retried while the provider says the failure is retryable, every failure mapped to a
 * Neptune error, the final one reported as an `error` event. Returns the value and the retries it took.
 */
async function callProvider<T>(
  context: ProviderContext,
  signal: AbortSignal | undefined,
  run: (attemptSignal: AbortSignal) => PromiseLike<T>,
): Promise<{ value: T; retries: number }> {
  let retries = 0;
  try {
    const value = await retryWithBackoff(
      async () => {
        try {
          // Each attempt is bounded on its own, and settles at its deadline even if the provider never does.
          return await withTimeout(async (attemptSignal) => run(attemptSignal), {
            timeoutMs: context.timeoutMs,
            signal,
            what: context.what,
          });
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

/**
 * Reads the next part of a started stream, bounded by `timeoutMs` and the caller's signal: a provider
 * that stalls mid-stream fails with a `TimeoutError` rather than leaving the call pending.
 */
function readWithin<T>(
  reader: ReadableStreamDefaultReader<T>,
  context: ProviderContext,
  signal: AbortSignal | undefined,
): Promise<ReadableStreamReadResult<T>> {
  return withTimeout(() => reader.read(), {
    timeoutMs: context.timeoutMs,
    signal,
    what: `${context.what}'s stream`,
  });
}

/**
 * What an AI SDK provider threw, as a Neptune error, with the same codes as the OpenAI path: 401/403 is
 * `authentication-failed`, 429 `rate-limited` (not retryable when the quota is used up); otherwise
 * `APICallError.isRetryable` and the status are carried over.
 */
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
  const reason = error instanceof Error ? error.message : String(error);
  if (status === 401 || status === 403) {
    return new ConfigurationError({
      code: 'authentication-failed',
      message: `${what} rejected the credentials (HTTP ${status}: ${reason}). Check the API key the provider was created with (its apiKey option or environment variable): it may be mistyped, revoked, or lack access to this model.`,
      cause: error,
      details: { status },
    });
  }
  if (status === 429) {
    const data = (error as { data?: { error?: { code?: unknown } } }).data;
    const quotaUsedUp = data?.error?.code === 'insufficient_quota';
    return new ProviderError({
      code: 'rate-limited',
      message: quotaUsedUp
        ? `${what} was refused because the account's quota is used up (HTTP 429: ${reason}). Check the provider account's plan and billing; retrying will not help.`
        : `${what} was rate limited (HTTP 429: ${reason}). Raise \`maxRetries\`, send fewer concurrent calls, or ask the provider for higher limits.`,
      cause: error,
      isRetryable: !quotaUsedUp,
      details: { status, retryAfterMs },
    });
  }
  return new ProviderError({
    message: `${what} failed${status === undefined ? '' : ` with HTTP ${status}`}: ${reason}`,
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
  checkModel(model, 'fromLanguageModel', ['doGenerate', 'doStream']);
  const timeoutMs = checkOptions(options, 'fromLanguageModel', 60_000);
  const telemetry = options.telemetry ?? defaultTelemetry();
  const what = `The ${model.provider} model ${model.modelId}`;
  const context: ProviderContext = { options, telemetry, what, source: model.provider, timeoutMs };
  const callOptions = (request: ChatRequest, abortSignal: AbortSignal) => ({
    prompt: toAiSdkPrompt(request.messages),
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    abortSignal,
  });

  async function generate(
    request: ChatRequest,
    operation: 'chat' | 'structured' = 'chat',
  ): Promise<ChatResult> {
    checkRequest(request, what);
    const startedAt = performance.now();
    const { value: result, retries } = await callProvider(context, request.signal, (attemptSignal) =>
      model.doGenerate(callOptions(request, attemptSignal)),
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
      checkRequest(request, what);
      const startedAt = performance.now();
      let firstTokenMs: number | undefined;
      // The stream outlives the attempt that opened it, so it gets a signal of its own, ended with it.
      let streamAbort = new AbortController();
      const { value: opened, retries } = await callProvider(context, request.signal, (attemptSignal) => {
        streamAbort = new AbortController();
        const current = streamAbort;
        attemptSignal.addEventListener('abort', () => current.abort(attemptSignal.reason), { once: true });
        return model.doStream(callOptions(request, current.signal));
      });
      const reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> = opened.stream.getReader();
      let finished = false;
      try {
        for (;;) {
          const { done, value } = await readWithin(reader, context, request.signal);
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
        if (!finished) {
          streamAbort.abort(new Error('The stream was stopped before its end.'));
          // Not awaited: a provider stream that ignores cancellation must not hold the caller.
          void reader.cancel().catch(() => undefined);
        }
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
  checkModel(model, 'fromEmbeddingModel', ['doEmbed']);
  const timeoutMs = checkOptions(options, 'fromEmbeddingModel', 30_000);
  const telemetry = options.telemetry ?? defaultTelemetry();
  const what = `The ${model.provider} embedding model ${model.modelId}`;
  const context: ProviderContext = { options, telemetry, what, source: model.provider, timeoutMs };
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
      if (!Array.isArray(texts)) {
        throw new ValidationError({
          message: `embed(texts) expects an array of strings (received ${describeValue(texts)}).`,
          details: { field: 'texts' },
        });
      }
      assertAbortSignal(embedOptions?.signal, 'embed');
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
        const { value: result } = await callProvider(context, embedOptions.signal, (attemptSignal) =>
          model.doEmbed({ values, abortSignal: attemptSignal }),
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

function checkModel(model: unknown, what: string, methods: readonly string[]): void {
  const candidate = model as Record<string, unknown> | null;
  const missing =
    typeof candidate !== 'object' || candidate === null
      ? methods
      : methods.filter((method) => typeof candidate[method] !== 'function');
  if (missing.length === 0) return;
  throw new ValidationError({
    message: `${what} expects an AI SDK model with ${methods.join(' and ')} (received ${describeValue(model)}); pass, for example, openai('gpt-4o-mini').`,
    details: { field: 'model' },
  });
}

function checkRequest(request: ChatRequest, what: string): void {
  if (typeof request !== 'object' || request === null || !Array.isArray(request.messages)) {
    throw new ValidationError({
      message: `${what}: a request must be an object with a messages array (received ${describeValue(request)}).`,
      details: { field: 'request' },
    });
  }
  assertAbortSignal(request.signal, what);
  throwIfAborted(request.signal, what);
}
