import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatStreamPart } from '../contracts/chat-model';
import { AbortError, StructuredOutputError, TimeoutError, ValidationError } from '../errors';
import type { NeptuneEvent } from '../telemetry/events';
import { createTelemetryChannel } from '../telemetry/telemetry-channel';
import {
  type OpenAICompatibleServer,
  startOpenAICompatibleServer,
} from '../testing/openai-compatible-server';
import { type OpenAIChatModelOptions, openaiChatModel } from './openai-chat-model';

let server: OpenAICompatibleServer;
beforeAll(async () => {
  server = await startOpenAICompatibleServer();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

function setup(options: OpenAIChatModelOptions = {}) {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  const model = openaiChatModel({
    apiKey: 'test-key',
    baseURL: server.url,
    retryBaseDelayMs: 1,
    telemetry,
    ...options,
  });
  return { model, events };
}

const question = { messages: [{ role: 'user' as const, content: 'What is Neptune?' }] };

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const collected: ChatStreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

describe('openaiChatModel.generate', () => {
  it('returns the text, usage with cached tokens, and finish reason', async () => {
    const { model, events } = setup();
    server.enqueue({
      kind: 'chat',
      content: 'A planet.',
      usage: { promptTokens: 12, completionTokens: 3, cachedTokens: 8 },
      finishReason: 'length',
    });
    const result = await model.generate({
      ...question,
      maxOutputTokens: 50,
      temperature: 0.2,
      scope: { workspaceId: 'acme' },
      requestId: 'req-7',
    });
    expect(result).toEqual({
      text: 'A planet.',
      usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 8 },
      finishReason: 'length',
    });
    expect(server.requests[0]?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: question.messages,
      max_completion_tokens: 50,
      temperature: 0.2,
      stream: false,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'model-call',
        provider: 'openai',
        model: 'gpt-4o-mini',
        operation: 'chat',
        inputTokens: 12,
        outputTokens: 3,
        cachedInputTokens: 8,
        finishReason: 'length',
        retries: 0,
        scope: { workspaceId: 'acme' },
        requestId: 'req-7',
      }),
    ]);
  });

  it('refuses a request without messages before calling the API', async () => {
    const { model } = setup();
    await expect(model.generate({ messages: [] })).rejects.toSatisfy((error) =>
      ValidationError.isInstance(error),
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('openaiChatModel.stream', () => {
  it('yields text deltas, then one finish part with the usage from the final chunk', async () => {
    const { model, events } = setup({ model: 'gpt-4.1' });
    server.enqueue({
      kind: 'chat',
      content: 'Neptune is the eighth planet.',
      usage: { promptTokens: 20, completionTokens: 7, cachedTokens: 4 },
    });
    const parts = await collect(model.stream(question));
    const deltas = parts.filter((part) => part.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((part) => part.text).join('')).toBe('Neptune is the eighth planet.');
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      usage: { inputTokens: 20, outputTokens: 7, cachedInputTokens: 4 },
      finishReason: 'stop',
    });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    expect(server.requests[0]?.body).toMatchObject({
      model: 'gpt-4.1',
      stream: true,
      stream_options: { include_usage: true },
    });
    const call = events.find((event) => event.type === 'model-call');
    expect(call).toMatchObject({ operation: 'stream', inputTokens: 20, outputTokens: 7, retries: 0 });
    expect(call?.type === 'model-call' && call.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('fails with TimeoutError when the stream stalls longer than timeoutMs', async () => {
    const { model, events } = setup({ timeoutMs: 200 });
    server.enqueue({ kind: 'chat', content: 'one two three', stallAfterChunks: 1 });
    const received: string[] = [];
    const startedMs = Date.now();
    const error = await (async () => {
      for await (const part of model.stream(question))
        if (part.type === 'text-delta') received.push(part.text);
    })().catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(received).toEqual(['one ']);
    expect(Date.now() - startedMs).toBeLessThan(3000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'error', source: 'openai', code: 'timeout' }),
    );
  });

  it('ends with AbortError when the caller aborts mid-stream', async () => {
    const { model } = setup();
    server.enqueue({ kind: 'chat', content: 'one two three', stallAfterChunks: 1 });
    const controller = new AbortController();
    const error = await (async () => {
      for await (const part of model.stream({ ...question, signal: controller.signal })) {
        if (part.type === 'text-delta') setTimeout(() => controller.abort(), 20);
      }
    })().catch((caught: unknown) => caught);
    expect(AbortError.isInstance(error)).toBe(true);
  });
});

describe('openaiChatModel.generateObject', () => {
  const person = z.object({ name: z.string(), age: z.number().int() });

  it('asks for the JSON schema natively and returns the parsed object on the first attempt', async () => {
    const { model, events } = setup();
    server.enqueue({ kind: 'chat', content: '{"name":"Ada","age":36}' });
    const result = await model.generateObject({ ...question, schema: person, schemaName: 'person record' });
    expect(result.object).toEqual({ name: 'Ada', age: 36 });
    expect(result.attempts).toBe(1);
    const body = server.requests[0]?.body as { response_format: unknown; messages: { content: string }[] };
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: {
        name: 'person_record',
        strict: false,
        schema: { type: 'object', properties: { name: { type: 'string' } } },
      },
    });
    // The schema travels in response_format, so the prompt does not repeat it.
    expect(body.messages[0]?.content).not.toContain('"properties"');
    expect(events).toContainEqual(expect.objectContaining({ type: 'model-call', operation: 'structured' }));
  });

  it('repairs invalid JSON with a second attempt that shows the model its answer', async () => {
    const { model } = setup();
    server.enqueue(
      { kind: 'chat', content: 'Sure! name: Ada', usage: { promptTokens: 10, completionTokens: 4 } },
      { kind: 'chat', content: '{"name":"Ada","age":36}', usage: { promptTokens: 30, completionTokens: 9 } },
    );
    const result = await model.generateObject({ ...question, schema: person });
    expect(result).toMatchObject({ object: { name: 'Ada', age: 36 }, attempts: 2 });
    expect(result.usage).toMatchObject({ inputTokens: 40, outputTokens: 13 });
    const repair = server.requests[1]?.body as { messages: { role: string; content: string }[] };
    expect(repair.messages.at(-2)).toEqual({ role: 'assistant', content: 'Sure! name: Ada' });
    expect(repair.messages.at(-1)?.content).toMatch(/not valid JSON/);
  });

  it('throws StructuredOutputError when the repair is invalid too, and reports it', async () => {
    const { model, events } = setup();
    server.enqueue({ kind: 'chat', content: 'no json' }, { kind: 'chat', content: 'still none' });
    const error = await model
      .generateObject({ ...question, schema: person })
      .catch((caught: unknown) => caught);
    expect(StructuredOutputError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'error', source: 'openai', code: 'structured-output-invalid' }),
    );
  });

  it('treats JSON that does not match the schema as a failure, naming the field', async () => {
    const { model } = setup();
    server.enqueue(
      { kind: 'chat', content: '{"name":5,"age":36}' },
      { kind: 'chat', content: '{"name":"Ada"}' },
    );
    const error = await model
      .generateObject({ ...question, schema: person })
      .catch((caught: unknown) => caught);
    expect(StructuredOutputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/does not match the schema \(age:/);
    const repair = server.requests[1]?.body as { messages: { content: string }[] };
    expect(repair.messages.at(-1)?.content).toMatch(/name:/);
  });

  it('in json-object mode asks for a JSON object and puts the schema in the prompt', async () => {
    const { model } = setup({ structuredOutput: 'json-object' });
    server.enqueue({ kind: 'chat', content: '```json\n{"name":"Ada","age":36}\n```' });
    const result = await model.generateObject({ ...question, schema: person });
    expect(result.object).toEqual({ name: 'Ada', age: 36 });
    const body = server.requests[0]?.body as { response_format: unknown; messages: { content: string }[] };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]?.content).toContain('"properties"');
  });
});
