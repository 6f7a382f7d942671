import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError, ConfigurationError, type NeptuneError, ProviderError, TimeoutError } from '../errors';
import type { NeptuneEvent } from '../telemetry/events';
import { createTelemetryChannel } from '../telemetry/telemetry-channel';
import {
  type OpenAICompatibleServer,
  startOpenAICompatibleServer,
} from '../testing/openai-compatible-server';
import { type OpenAIChatModelOptions, openaiChatModel } from './openai-chat-model';
import { openaiEmbedder } from './openai-embedder';

// Retries, timeouts, aborts and error mapping, through the real openai client against a local server.

let server: OpenAICompatibleServer;
beforeAll(async () => {
  server = await startOpenAICompatibleServer({ apiKey: 'right-key' });
});
beforeEach(() => server.reset());
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

function setup(options: OpenAIChatModelOptions = {}) {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  const model = openaiChatModel({
    apiKey: 'right-key',
    baseURL: server.url,
    retryBaseDelayMs: 1,
    telemetry,
    ...options,
  });
  return { model, events };
}

const question = { messages: [{ role: 'user' as const, content: 'Hi' }] };
const gapMs = (index: number) =>
  (server.requests[index]?.receivedAtMs ?? Number.NaN) -
  (server.requests[index - 1]?.receivedAtMs ?? Number.NaN);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as NeptuneError,
  );

describe('retries', () => {
  it('waits as long as retry-after-ms says after a 429, then succeeds', async () => {
    const { model, events } = setup();
    server.enqueue({ kind: 'rate-limit', retryAfterMs: 300 });
    const result = await model.generate(question);
    expect(result.text).toBe('Echo: Hi');
    expect(server.requests).toHaveLength(2);
    expect(gapMs(1)).toBeGreaterThanOrEqual(295);
    expect(events).toContainEqual(expect.objectContaining({ type: 'model-call', retries: 1 }));
  });

  it('honours Retry-After in seconds', async () => {
    const { model } = setup();
    server.enqueue({ kind: 'rate-limit', retryAfterSeconds: 1 });
    await model.generate(question);
    expect(gapMs(1)).toBeGreaterThanOrEqual(995);
  });

  it('retries 500s and connection drops, then succeeds', async () => {
    const { model, events } = setup();
    server.enqueue({ kind: 'status', status: 500 }, { kind: 'disconnect' }, { kind: 'status', status: 503 });
    const result = await model.generate(question);
    expect(result.text).toBe('Echo: Hi');
    expect(server.requests).toHaveLength(4);
    expect(events).toContainEqual(expect.objectContaining({ type: 'model-call', retries: 3 }));
    expect(events.filter((event) => event.type === 'error')).toHaveLength(0);
  });

  it('gives up on 429 after maxRetries with a retryable rate-limited ProviderError, and reports it', async () => {
    const { model, events } = setup({ maxRetries: 2 });
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'rate-limit' as const, retryAfterMs: 10 })));
    const error = await failureOf(model.generate(question));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'rate-limited', isRetryable: true });
    expect(error.message).toMatch(/rate limited.*Gave up after 2 retries/);
    expect(server.requests).toHaveLength(3);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'error', source: 'openai', code: 'rate-limited', retryable: true }),
    );
  });

  it('gives up on 5xx after maxRetries with a retryable ProviderError', async () => {
    const { model } = setup({ maxRetries: 1 });
    server.enqueue(
      { kind: 'status', status: 502 },
      { kind: 'status', status: 500, message: 'The server broke.' },
    );
    const error = await failureOf(model.generate(question));
    expect(error).toMatchObject({ name: 'ProviderError', code: 'provider-error', isRetryable: true });
    expect(error.message).toContain('The server broke.');
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry when Retry-After exceeds maxRetryDelayMs', async () => {
    const { model } = setup({ maxRetryDelayMs: 100 });
    server.enqueue({ kind: 'rate-limit', retryAfterSeconds: 30 });
    const error = await failureOf(model.generate(question));
    expect(error).toMatchObject({ code: 'rate-limited', details: { retryAfterMs: 30_000 } });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a used-up quota', async () => {
    const { model } = setup();
    server.enqueue({ kind: 'rate-limit', code: 'insufficient_quota' });
    const error = await failureOf(model.generate(question));
    expect(error).toMatchObject({ code: 'rate-limited', isRetryable: false });
    expect(error.message).toMatch(/quota/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries embedding batches too', async () => {
    const embedder = openaiEmbedder({ apiKey: 'right-key', baseURL: server.url, retryBaseDelayMs: 1 });
    server.enqueue({ kind: 'status', status: 500 });
    const vectors = await embedder.embed(['retried']);
    expect(vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });
});

describe('errors that are not retried', () => {
  it('maps a 400 to a non-retryable ProviderError carrying the API message', async () => {
    const { model } = setup();
    server.enqueue({ kind: 'status', status: 400, message: "Invalid value for 'temperature'." });
    const error = await failureOf(model.generate(question));
    expect(error).toMatchObject({ name: 'ProviderError', isRetryable: false, details: { status: 400 } });
    expect(error.message).toContain("Invalid value for 'temperature'.");
    expect(server.requests).toHaveLength(1);
  });

  it('maps a rejected key (401) to ConfigurationError naming OPENAI_API_KEY', async () => {
    const { model, events } = setup({ apiKey: 'wrong-key' });
    const error = await failureOf(model.generate(question));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(error.code).toBe('authentication-failed');
    expect(error.message).toMatch(/rejected the API key/);
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(server.requests).toHaveLength(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'error', code: 'authentication-failed' }));
  });

  it('maps a 403 the same way', async () => {
    const embedder = openaiEmbedder({ apiKey: 'right-key', baseURL: server.url });
    server.enqueue({ kind: 'status', status: 403 });
    const error = await failureOf(embedder.embed(['x']));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'authentication-failed' });
  });

  it('refuses to start without a key, naming the apiKey option and OPENAI_API_KEY', () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    for (const create of [
      () => openaiChatModel({ baseURL: server.url }),
      () => openaiEmbedder({ baseURL: server.url }),
    ]) {
      let error: unknown;
      try {
        create();
      } catch (caught) {
        error = caught;
      }
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'missing-configuration' });
      expect((error as Error).message).toMatch(/`apiKey` option.*OPENAI_API_KEY/);
    }
  });

  it('reads the key and base URL from OPENAI_API_KEY and OPENAI_BASE_URL', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'right-key');
    vi.stubEnv('OPENAI_BASE_URL', server.url);
    const model = openaiChatModel();
    expect((await model.generate(question)).text).toBe('Echo: Hi');
  });
});

describe('timeouts and aborts', () => {
  it('fails with TimeoutError within timeoutMs when the server hangs', async () => {
    const { model, events } = setup({ timeoutMs: 200, maxRetries: 0 });
    server.enqueue({ kind: 'hang' });
    const startedMs = Date.now();
    const error = await failureOf(model.generate(question));
    const elapsedMs = Date.now() - startedMs;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(195);
    expect(elapsedMs).toBeLessThan(3000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'error', code: 'timeout', retryable: true }),
    );
  });

  it('gives each attempt its own timeout, and retries a timed-out attempt', async () => {
    const embedder = openaiEmbedder({
      apiKey: 'right-key',
      baseURL: server.url,
      timeoutMs: 150,
      retryBaseDelayMs: 1,
    });
    server.enqueue({ kind: 'hang' });
    const vectors = await embedder.embed(['slow then fine']);
    expect(vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    // The first attempt waited for its own timeout (150 ms, minus the time its request took to arrive) before the retry.
    expect(gapMs(1)).toBeGreaterThanOrEqual(100);
  });

  it('ends a hanging request with AbortError when the caller aborts, and does not retry', async () => {
    const { model, events } = setup();
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const startedMs = Date.now();
    const error = await failureOf(model.generate({ ...question, signal: controller.signal }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(Date.now() - startedMs).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    // An abort is the caller's choice, not a failure to report.
    expect(events.filter((event) => event.type === 'error')).toHaveLength(0);
  });

  it('stops waiting for a retry when the caller aborts during the backoff', async () => {
    const { model } = setup();
    server.enqueue({ kind: 'rate-limit', retryAfterMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const startedMs = Date.now();
    const error = await failureOf(model.generate({ ...question, signal: controller.signal }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(Date.now() - startedMs).toBeLessThan(3000);
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when the signal has already fired', async () => {
    const { model } = setup();
    const error = await failureOf(model.generate({ ...question, signal: AbortSignal.abort() }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});
