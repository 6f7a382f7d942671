import {
  AbortError,
  ConfigurationError,
  createTelemetryChannel,
  type NeptuneEvent,
  ProviderError,
  ValidationError,
} from '@neptune/core';
import { mockChatModel } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { modelQueryExpander } from './model-query-expander';

function recordingTelemetry() {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  return { telemetry, events };
}

const scope = { workspaceId: 'acme' };

describe('modelQueryExpander', () => {
  it('asks once for n rewrites and returns them cleaned, deduplicated, without the original, at most n', async () => {
    const model = mockChatModel();
    model.enqueue(
      JSON.stringify({
        queries: [
          'what is  RAG',
          'Retrieval-augmented generation explained',
          '  retrieval-augmented GENERATION explained. ',
          '1. RAG overview',
          '"How does retrieval augmented generation work?"',
          'RAG combines a search step with a language model that answers from the retrieved passages.',
        ],
      }),
    );
    const expander = modelQueryExpander({ model });
    const variations = await expander.expand('What is RAG?', { count: 3, scope });
    expect(variations).toEqual([
      'Retrieval-augmented generation explained',
      'RAG overview',
      'How does retrieval augmented generation work?',
    ]);
    expect(model.requests).toHaveLength(1);
    const prompt = model.requests[0]!.messages.map((message) => message.content).join('\n');
    expect(prompt).toContain('Write 3 alternative queries');
    expect(prompt).toContain('abbreviations');
    expect(prompt).toContain('Query: What is RAG?');
  });

  it('offers the hypothetical-answer variation only when asked for more than one query and not turned off', async () => {
    const model = mockChatModel({ reply: '{"queries":[]}' });
    await modelQueryExpander({ model }).expand('q', { count: 2 });
    await modelQueryExpander({ model }).expand('q', { count: 1 });
    await modelQueryExpander({ model, hypotheticalAnswer: false }).expand('q', { count: 2 });
    const prompts = model.requests.map((request) => request.messages[1]!.content);
    expect(prompts[0]).toContain('would answer the query');
    expect(prompts[1]).not.toContain('would answer the query');
    expect(prompts[2]).not.toContain('would answer the query');
  });

  it('makes no call when asked for zero variations', async () => {
    const model = mockChatModel();
    expect(await modelQueryExpander({ model }).expand('anything', { count: 0 })).toEqual([]);
    expect(model.requests).toHaveLength(0);
  });

  it('goes through the repair attempt when the first answer is not the schema', async () => {
    const model = mockChatModel();
    model.enqueue('Sure! Here are some queries: vector search, embeddings', '{"queries":["vector search"]}');
    const variations = await modelQueryExpander({ model }).expand('semantic search', { count: 2 });
    expect(variations).toEqual(['vector search']);
    expect(model.requests).toHaveLength(2);
  });

  it('returns no variations and emits an error event when the model fails', async () => {
    const { telemetry, events } = recordingTelemetry();
    const model = mockChatModel();
    model.failNext(new ProviderError({ message: 'upstream 503', isRetryable: true }));
    const variations = await modelQueryExpander({ model, telemetry }).expand('q', { count: 3, scope });
    expect(variations).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'error',
        source: 'rag',
        code: 'provider-error',
        retryable: true,
        scope,
        message: expect.stringContaining('retrieval continues with the original query only'),
      }),
    ]);
  });

  it('returns no variations when the answer misses the schema twice, without quoting the answer in telemetry', async () => {
    const { telemetry, events } = recordingTelemetry();
    const model = mockChatModel({ reply: 'I cannot help with secret-project-x' });
    const variations = await modelQueryExpander({ model, telemetry }).expand('q', { count: 3 });
    expect(variations).toEqual([]);
    expect(model.requests).toHaveLength(2);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ type: 'error', code: 'structured-output-invalid' });
    expect(JSON.stringify(event)).not.toContain('secret-project-x');
  });

  it('rethrows when the caller aborted, and emits nothing', async () => {
    const { telemetry, events } = recordingTelemetry();
    const controller = new AbortController();
    const model = mockChatModel({
      reply: () => {
        controller.abort();
        throw new AbortError({ message: 'request aborted' });
      },
    });
    const expander = modelQueryExpander({ model, telemetry });
    await expect(expander.expand('q', { count: 2, signal: controller.signal })).rejects.toSatisfy(
      AbortError.isInstance,
    );
    await expect(expander.expand('q', { count: 2, signal: controller.signal })).rejects.toSatisfy(
      AbortError.isInstance,
    );
    expect(model.requests).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('refuses bad options and arguments with errors that name the field', () => {
    expect(() => modelQueryExpander({ model: {} as never })).toThrow(ConfigurationError);
    expect(() => modelQueryExpander({ model: {} as never })).toThrow(/model: must be a ChatModel/);
    const expander = modelQueryExpander({ model: mockChatModel() });
    return Promise.all([
      expect(expander.expand('  ', { count: 1 })).rejects.toThrow(ValidationError),
      expect(expander.expand('q', { count: -1 })).rejects.toThrow(/count/),
    ]);
  });
});
