import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConfigurationError,
  DimensionMismatchError,
  ProviderError,
  ValidationError,
} from '../errors';
import type { NeptuneEvent } from '../telemetry/events';
import { createTelemetryChannel } from '../telemetry/telemetry-channel';
import {
  approximateTokenCount,
  deterministicEmbedding,
  type OpenAICompatibleServer,
  startOpenAICompatibleServer,
} from '../testing/openai-compatible-server';
import { openaiEmbedder } from './openai-embedder';

let server: OpenAICompatibleServer;
beforeAll(async () => {
  server = await startOpenAICompatibleServer();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

const inputsPerRequest = () => server.requests.map((request) => (request.body as { input: string[] }).input);
const fast = { apiKey: 'test-key', retryBaseDelayMs: 1 };

describe('openaiEmbedder', () => {
  it('returns float32 vectors in input order, equal to what the server sent', async () => {
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url });
    const texts = ['alpha', 'beta', 'gamma'];
    const vectors = await embedder.embed(texts);
    expect(embedder.dimensions).toBe(1536);
    expect(vectors).toHaveLength(3);
    vectors.forEach((vector, index) => {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toEqual(deterministicEmbedding(texts[index] as string, 1536));
    });
    expect(server.requests[0]?.body).toMatchObject({
      model: 'text-embedding-3-small',
      encoding_format: 'float',
      input: texts,
    });
    expect(server.requests[0]?.body).not.toHaveProperty('dimensions');
  });

  it('splits requests by input count', async () => {
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url, maxInputsPerRequest: 2, concurrency: 1 });
    await embedder.embed(['a', 'b', 'c', 'd', 'e']);
    expect(inputsPerRequest()).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('splits requests by tokens, using the countTokens option', async () => {
    const embedder = openaiEmbedder({
      ...fast,
      baseURL: server.url,
      countTokens: (text) => text.length,
      maxTokensPerRequest: 10,
      concurrency: 1,
    });
    await embedder.embed(['aaaa', 'bbbb', 'cccc', 'ddddddddd', 'e']);
    expect(inputsPerRequest()).toEqual([['aaaa', 'bbbb'], ['cccc'], ['ddddddddd', 'e']]);
  });

  it('keeps requests under the token limit with the default estimate (UTF-8 bytes / 3)', async () => {
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url, maxTokensPerRequest: 1000 });
    // 600 bytes each: 200 estimated tokens, so five fit in one request.
    await embedder.embed(Array.from({ length: 12 }, (_, index) => `${index}`.padEnd(600, 'x')));
    expect(inputsPerRequest().map((inputs) => inputs.length)).toEqual([5, 5, 2]);
  });

  it('keeps order with batches in flight at once, up to the concurrency limit', async () => {
    const slowFirst = await startOpenAICompatibleServer({
      // Every batch is slow enough to overlap, and the first answers last, so collecting results as they
      // arrive would reorder them.
      handle: (request) => ({
        kind: 'default',
        delayMs: (request.body as { input: string[] }).input[0] === 'text-0' ? 150 : 40,
      }),
    });
    try {
      const embedder = openaiEmbedder({
        ...fast,
        baseURL: slowFirst.url,
        maxInputsPerRequest: 2,
        concurrency: 3,
      });
      const texts = Array.from({ length: 12 }, (_, index) => `text-${index}`);
      const vectors = await embedder.embed(texts);
      expect(vectors.map((vector) => vector[0])).toEqual(
        texts.map((text) => deterministicEmbedding(text, 1536)[0]),
      );
      expect(slowFirst.requests).toHaveLength(6);
      expect(slowFirst.peakConcurrency()).toBe(3);
    } finally {
      await slowFirst.close();
    }
  });

  it('sends `dimensions` for text-embedding-3 models and returns vectors of that length', async () => {
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url, dimensions: 256 });
    const [vector] = await embedder.embed(['short vectors']);
    expect(embedder.dimensions).toBe(256);
    expect(vector).toHaveLength(256);
    expect(server.requests[0]?.body).toMatchObject({ dimensions: 256 });
  });

  it('refuses dimensions a model cannot produce, and an unknown model without dimensions', () => {
    expect(() => openaiEmbedder({ ...fast, baseURL: server.url, dimensions: 4000 })).toThrow(
      ConfigurationError,
    );
    expect(() =>
      openaiEmbedder({ ...fast, baseURL: server.url, model: 'text-embedding-ada-002', dimensions: 256 }),
    ).toThrow(/cannot return 256-dimensional/);
    expect(() => openaiEmbedder({ ...fast, baseURL: server.url, model: 'nomic-embed-text' })).toThrow(
      /Pass the `dimensions` option/,
    );
  });

  it('checks vector length from other models against the declared dimensions', async () => {
    const embedder = openaiEmbedder({
      ...fast,
      baseURL: server.url,
      model: 'nomic-embed-text',
      dimensions: 768,
    });
    const error = await embedder.embed(['x']).catch((caught: unknown) => caught);
    expect(DimensionMismatchError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/returned 1536-dimensional vectors.*created for 768/);
    expect(server.requests[0]?.body).not.toHaveProperty('dimensions');
  });

  it('refuses empty and whitespace texts naming the index, before any request', async () => {
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url });
    await expect(embedder.embed(['fine', ' \n\t '])).rejects.toThrow(/texts\[1\] is empty or whitespace/);
    await expect(embedder.embed([''])).rejects.toSatisfy((error) => ValidationError.isInstance(error));
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a text over the per-input token limit naming the index, or truncates it when asked', async () => {
    const long = 'word '.repeat(100); // 500 bytes: about 167 estimated tokens
    const strict = openaiEmbedder({ ...fast, baseURL: server.url, maxTokensPerInput: 50 });
    await expect(strict.embed(['ok', long])).rejects.toThrow(
      /texts\[1\] is about 167 tokens, over the limit of 50/,
    );
    expect(server.requests).toHaveLength(0);

    const truncating = openaiEmbedder({
      ...fast,
      baseURL: server.url,
      maxTokensPerInput: 50,
      truncate: true,
    });
    await truncating.embed(['ok', long]);
    const sent = inputsPerRequest()[0]?.[1] ?? '';
    expect(sent.length).toBe(150);
    expect(long.startsWith(sent)).toBe(true);
  });

  it('returns an empty array for no texts without calling the API', async () => {
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url });
    expect(await embedder.embed([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('emits one embedding-call event with the token usage the server reported', async () => {
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url, telemetry, maxInputsPerRequest: 2 });
    const texts = ['one two three', 'four', 'five six'];
    await embedder.embed(texts);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'embedding-call',
      provider: 'openai',
      model: 'text-embedding-3-small',
      inputs: 3,
      inputTokens: texts.reduce((sum, text) => sum + approximateTokenCount(text), 0),
    });
    expect((events[0] as { durationMs: number }).durationMs).toBeGreaterThan(0);
  });

  it('cancels the other batches when one fails', async () => {
    const failing = await startOpenAICompatibleServer({
      handle: (request) =>
        (request.body as { input: string[] }).input[0] === 'b'
          ? { kind: 'status', status: 400 }
          : { kind: 'hang' },
    });
    try {
      const embedder = openaiEmbedder({
        ...fast,
        baseURL: failing.url,
        maxInputsPerRequest: 1,
        timeoutMs: 5000,
      });
      const startedMs = Date.now();
      const error = await embedder.embed(['a', 'b', 'c']).catch((caught: unknown) => caught);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect((error as ProviderError).details).toMatchObject({ status: 400 });
      expect(Date.now() - startedMs).toBeLessThan(3000);
    } finally {
      await failing.close();
    }
  });

  it('uses a client passed in, exposes it, and refuses one combined with connection options', async () => {
    const client = new OpenAI({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
    const embedder = openaiEmbedder({ client });
    expect(embedder.client).toBe(client);
    await embedder.embed(['via the given client']);
    expect(server.requests).toHaveLength(1);
    expect(() => openaiEmbedder({ client, apiKey: 'other' })).toThrow(/either `client` or `apiKey`/);
  });

  it('refuses invalid options with a ConfigurationError naming the option', () => {
    expect(() => openaiEmbedder({ ...fast, baseURL: server.url, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => openaiEmbedder({ ...fast, baseURL: 'not a url' })).toThrow(/is not a URL/);
  });

  it('rejects with AbortError when the signal has already fired, without a request', async () => {
    const embedder = openaiEmbedder({ ...fast, baseURL: server.url });
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed(['x'], { signal: controller.signal })).rejects.toSatisfy((error) =>
      AbortError.isInstance(error),
    );
    expect(server.requests).toHaveLength(0);
  });
});
