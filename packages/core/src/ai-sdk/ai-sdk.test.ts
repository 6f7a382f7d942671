import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { embedMany, generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AbortError, ConfigurationError, ProviderError, TimeoutError, ValidationError } from '../errors';
import { extractiveChatModel } from '../offline/extractive-chat-model';
import type { NeptuneEvent } from '../telemetry/events';
import { createTelemetryChannel } from '../telemetry/telemetry-channel';
import { startOpenAICompatibleServer } from '../testing/openai-compatible-server';
import { fromEmbeddingModel, fromLanguageModel, toLanguageModel } from './index';

const system = [
  '## Knowledge',
  '[1] Refund policy',
  'Annual plans can be refunded within 30 days of purchase. Monthly plans are not refunded.',
  '',
  '[2] Rate limits',
  'The API allows 600 requests per minute. Requests over the limit get HTTP 429.',
].join('\n');

describe('toLanguageModel: a Neptune model in the AI SDK', () => {
  it('answers generateText with the extractive model and its usage', async () => {
    const result = await generateText({
      model: toLanguageModel(extractiveChatModel()),
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: 'Can annual plans be refunded?' },
      ],
    });
    expect(result.text).toContain('Annual plans can be refunded within 30 days of purchase.');
    expect(result.text).toMatch(/\[1\]$/);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(10);
    expect(result.usage.outputTokens).toBeGreaterThan(5);
  });

  it('streams through streamText in several deltas that add up to the generated text', async () => {
    const model = toLanguageModel(extractiveChatModel({ wordsPerDelta: 1 }));
    const messages = [
      { role: 'system' as const, content: system },
      { role: 'user' as const, content: 'What happens over the API rate limit?' },
    ];
    const result = streamText({ model, messages });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join('')).toBe((await generateText({ model, messages })).text);
    expect(deltas.join('')).toContain('[2]');
    expect(await result.finishReason).toBe('stop');
  });

  it('attributes the call to the scope and request given in providerOptions.neptune', async () => {
    const telemetry = createTelemetryChannel();
    const calls: NeptuneEvent[] = [];
    telemetry.subscribe((event) => void calls.push(event));
    await generateText({
      model: toLanguageModel(extractiveChatModel({ telemetry })),
      prompt: 'Can annual plans be refunded?',
      providerOptions: { neptune: { scope: { workspaceId: 'acme', userId: 'ana' }, requestId: 'req-1' } },
    });
    expect(calls.find((event) => event.type === 'model-call')).toMatchObject({
      scope: { workspaceId: 'acme', userId: 'ana' },
      requestId: 'req-1',
    });
  });

  it('reports what a Neptune model does not support as warnings, not silently', async () => {
    const result = await generateText({
      model: toLanguageModel(extractiveChatModel()),
      prompt: 'Can annual plans be refunded?',
      topP: 0.5,
      seed: 1,
    });
    expect(result.warnings?.map((warning) => (warning as { feature?: string }).feature)).toEqual(
      expect.arrayContaining(['topP', 'seed']),
    );
  });

  it('surfaces a failing model as an error in the stream', async () => {
    const failing = { ...extractiveChatModel() };
    failing.stream = async function* () {
      yield { type: 'text-delta' as const, text: 'partial ' };
      throw new ProviderError({ message: 'upstream broke' });
    };
    const errors: unknown[] = [];
    const result = streamText({
      model: toLanguageModel(failing),
      prompt: 'x',
      onError: ({ error }) => void errors.push(error),
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('partial ');
    expect(errors).toHaveLength(1);
    expect(ProviderError.isInstance(errors[0])).toBe(true);
  });
});

/** A provider that never answers and ignores its abort signal. */
function deafModel(): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: 'deaf-llm',
    modelId: 'm1',
    supportedUrls: {},
    doGenerate: () => new Promise(() => {}),
    doStream: () => new Promise(() => {}),
  };
}

describe('fromLanguageModel and fromEmbeddingModel: AI SDK models in Neptune', () => {
  let server: Awaited<ReturnType<typeof startOpenAICompatibleServer>>;
  let provider: ReturnType<typeof createOpenAI>;
  const events: NeptuneEvent[] = [];
  const telemetry = createTelemetryChannel();
  telemetry.subscribe((event) => void events.push(event));

  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
    provider = createOpenAI({ baseURL: server.url, apiKey: 'test-key' });
  });
  afterAll(() => server.close());

  it('generates through the real @ai-sdk/openai client, with usage and a model-call event', async () => {
    server.enqueue({
      kind: 'chat',
      content: 'Hello from the wire',
      usage: { promptTokens: 11, completionTokens: 4 },
    });
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), { telemetry });
    const result = await model.generate({
      messages: [{ role: 'user', content: 'Hi' }],
      scope: { workspaceId: 'acme' },
      requestId: 'req-2',
    });
    expect(result).toMatchObject({ text: 'Hello from the wire', finishReason: 'stop' });
    expect(result.usage).toMatchObject({ inputTokens: 11, outputTokens: 4 });
    const body = server.requests.at(-1)!.body as { messages: unknown[]; model: string };
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.messages).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(events.find((event) => event.type === 'model-call')).toMatchObject({
      provider: 'openai.chat',
      model: 'gpt-4o-mini',
      inputTokens: 11,
      scope: { workspaceId: 'acme' },
      requestId: 'req-2',
    });
  });

  it('streams deltas and then the finish with usage', async () => {
    server.enqueue({
      kind: 'chat',
      content: 'one two three four',
      usage: { promptTokens: 5, completionTokens: 4 },
    });
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), { telemetry });
    let text = '';
    let deltas = 0;
    let finish: unknown;
    for await (const part of model.stream({ messages: [{ role: 'user', content: 'count' }] })) {
      if (part.type === 'text-delta') {
        text += part.text;
        deltas++;
      } else finish = part;
    }
    expect(text).toBe('one two three four');
    expect(deltas).toBeGreaterThan(1);
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 5, outputTokens: 4 },
    });
  });

  it('retries a 429 and a 500, then succeeds', async () => {
    server.enqueue(
      { kind: 'rate-limit', retryAfterMs: 20 },
      { kind: 'status', status: 500 },
      { kind: 'chat', content: 'ok' },
    );
    const before = server.requests.length;
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), { telemetry });
    expect((await model.generate({ messages: [{ role: 'user', content: 'x' }] })).text).toBe('ok');
    expect(server.requests.length - before).toBe(3);
    expect(events.filter((event) => event.type === 'model-call').at(-1)).toMatchObject({ retries: 2 });
  });

  it('cancels the provider stream when the consumer stops early, and names the provider on errors', async () => {
    let cancelled = false;
    const model = fromLanguageModel(
      {
        specificationVersion: 'v3',
        provider: 'acme-llm',
        modelId: 'm1',
        supportedUrls: {},
        doGenerate: () => Promise.reject(Object.assign(new Error('bad key'), { statusCode: 401 })),
        doStream: async () => ({
          stream: new ReadableStream({
            pull(controller) {
              controller.enqueue({ type: 'text-delta', id: 't', delta: 'tick ' });
            },
            cancel() {
              cancelled = true;
            },
          }),
        }),
      },
      { telemetry },
    );
    for await (const part of model.stream({ messages: [{ role: 'user', content: 'x' }] })) {
      if (part.type === 'text-delta') break;
    }
    expect(cancelled).toBe(true);
    await expect(model.generate({ messages: [{ role: 'user', content: 'x' }] })).rejects.toSatisfy(
      (error) =>
        ConfigurationError.isInstance(error) &&
        (error as ConfigurationError).code === 'authentication-failed' &&
        /HTTP 401/.test(String(error)),
    );
    expect(events.filter((event) => event.type === 'error').at(-1)).toMatchObject({ source: 'acme-llm' });
  });

  it('maps 401 and 429 from the wire to the same codes as the OpenAI path', async () => {
    server.enqueue({ kind: 'status', status: 401, message: 'Incorrect API key provided' });
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), { telemetry, maxRetries: 0 });
    const unauthorised = await model
      .generate({ messages: [{ role: 'user', content: 'x' }] })
      .catch((error) => error);
    expect(ConfigurationError.isInstance(unauthorised)).toBe(true);
    expect(unauthorised).toMatchObject({ code: 'authentication-failed', isRetryable: false });

    server.enqueue({ kind: 'rate-limit', retryAfterMs: 10 });
    const limited = await model
      .generate({ messages: [{ role: 'user', content: 'x' }] })
      .catch((error) => error);
    expect(limited).toMatchObject({ code: 'rate-limited', isRetryable: true });

    server.enqueue({ kind: 'rate-limit', code: 'insufficient_quota' });
    const quota = await model
      .generate({ messages: [{ role: 'user', content: 'x' }] })
      .catch((error) => error);
    expect(quota).toMatchObject({ code: 'rate-limited', isRetryable: false });
  });

  it('bounds each attempt: a hanging provider fails with a retryable TimeoutError after its retries', async () => {
    server.enqueue({ kind: 'hang' }, { kind: 'hang' });
    const before = server.requests.length;
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), {
      telemetry,
      timeoutMs: 150,
      maxRetries: 1,
    });
    const failure = await model
      .generate({ messages: [{ role: 'user', content: 'x' }] })
      .catch((error) => error);
    expect(TimeoutError.isInstance(failure)).toBe(true);
    expect(failure.isRetryable).toBe(true);
    expect(server.requests.length - before).toBe(2);

    server.enqueue({ kind: 'hang' });
    const embedder = fromEmbeddingModel(provider.embedding('text-embedding-3-small'), {
      dimensions: 1536,
      telemetry,
      timeoutMs: 150,
      maxRetries: 0,
    });
    await expect(embedder.embed(['x'])).rejects.toSatisfy((error) => TimeoutError.isInstance(error));
  });

  it('bounds a stream that stalls after it started', async () => {
    server.enqueue({ kind: 'chat', content: 'one two three four five', stallAfterChunks: 1 });
    // Long enough for the first chunk to arrive on a loaded machine (at 200 ms it once timed out first).
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), {
      telemetry,
      timeoutMs: 1_000,
      maxRetries: 0,
    });
    const parts: string[] = [];
    const failure = await (async () => {
      for await (const part of model.stream({ messages: [{ role: 'user', content: 'x' }] })) {
        if (part.type === 'text-delta') parts.push(part.text);
      }
    })().catch((error) => error);
    expect(parts.length).toBeGreaterThan(0);
    expect(TimeoutError.isInstance(failure)).toBe(true);
  });

  it("ends a call at the caller's abort, also when the provider ignores its abortSignal", async () => {
    const neverSettles = fromLanguageModel(deafModel(), { telemetry, timeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = neverSettles.generate({
      messages: [{ role: 'user', content: 'x' }],
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toSatisfy((error) => AbortError.isInstance(error));

    const bounded = fromLanguageModel(deafModel(), { telemetry, timeoutMs: 50, maxRetries: 0 });
    await expect(bounded.generate({ messages: [{ role: 'user', content: 'x' }] })).rejects.toSatisfy(
      (error) => TimeoutError.isInstance(error),
    );
  });

  it('refuses a bad model, options or request with a ValidationError', async () => {
    expect(() => fromLanguageModel({} as never)).toThrow(ValidationError);
    expect(() => fromLanguageModel(provider.chat('gpt-4o-mini'), { timeoutMs: -1 })).toThrow(ValidationError);
    expect(() =>
      fromEmbeddingModel(provider.embedding('text-embedding-3-small'), { dimensions: 8, maxRetries: 1.5 }),
    ).toThrow(ValidationError);
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), { telemetry });
    await expect(model.generate(null as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(
      model.generate({ messages: [{ role: 'user', content: 'x' }], signal: {} as never }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('turns a 400 into a non-retryable ProviderError after one attempt', async () => {
    server.enqueue({ kind: 'status', status: 400, message: 'bad request body' });
    const before = server.requests.length;
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), { telemetry });
    const failure = await model
      .generate({ messages: [{ role: 'user', content: 'x' }] })
      .catch((error) => error);
    expect(ProviderError.isInstance(failure)).toBe(true);
    expect(failure.isRetryable).toBe(false);
    expect(failure.message).toContain('HTTP 400');
    expect(server.requests.length - before).toBe(1);
  });

  it('validates structured output with zod and repairs once', async () => {
    server.enqueue(
      { kind: 'chat', content: '{"answer": 42}' },
      { kind: 'chat', content: '{"answer": "forty-two"}' },
    );
    const model = fromLanguageModel(provider.chat('gpt-4o-mini'), { telemetry });
    const result = await model.generateObject({
      messages: [{ role: 'user', content: 'answer?' }],
      schema: z.object({ answer: z.string() }),
    });
    expect(result).toMatchObject({ object: { answer: 'forty-two' }, attempts: 2 });
  });

  it('embeds through the AI SDK embedding model, in order, checking dimensions', async () => {
    const embedder = fromEmbeddingModel(provider.embedding('text-embedding-3-small'), {
      dimensions: 1536,
      telemetry,
    });
    const texts = ['refunds for annual plans', 'API rate limits', 'single sign-on'];
    const vectors = await embedder.embed(texts);
    const { embeddings } = await embedMany({
      model: provider.embedding('text-embedding-3-small'),
      values: texts,
    });
    expect(vectors.map((vector) => vector.length)).toEqual([1536, 1536, 1536]);
    expect(vectors.map((vector) => Array.from(vector.slice(0, 4)))).toEqual(
      embeddings.map((vector) => Array.from(Float32Array.from(vector.slice(0, 4)))),
    );
    expect(events.some((event) => event.type === 'embedding-call')).toBe(true);

    const wrong = fromEmbeddingModel(provider.embedding('text-embedding-3-small'), {
      dimensions: 256,
      telemetry,
    });
    await expect(wrong.embed(['x'])).rejects.toSatisfy(
      (error) => ValidationError.isInstance(error) && /1536 dimensions/.test(String(error)),
    );
    await expect(embedder.embed(['ok', '  '])).rejects.toSatisfy((error) =>
      ValidationError.isInstance(error),
    );
  });
});
