import { createContextGatherer, defineContextSource } from '@neptune/context';
import { createTelemetryChannel, type NeptuneEvent, type Scope } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { openaiChatModel } from '@neptune/core/openai';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@neptune/core/testing';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import {
  parseJsonEventStream,
  readUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
  uiMessageChunkSchema,
} from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnswerMetadata, createAssistant, type KnowledgeSource } from '../src';
import { helpKnowledgeBase, WORKSPACE } from './help-articles';

const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
const knowledge = await helpKnowledgeBase();
const ana: Scope = { workspaceId: WORKSPACE, userId: 'ana' };

function recordTelemetry() {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  return {
    telemetry,
    events,
    of: <T extends NeptuneEvent['type']>(type: T) =>
      events.filter((e) => e.type === type) as Extract<NeptuneEvent, { type: T }>[],
  };
}

/** Reads a UI message stream response as `useChat` does: the AI SDK's own parser and message builder. */
async function readAsUseChat(
  response: Response,
): Promise<{ chunks: UIMessageChunk[]; message: UIMessage<AnswerMetadata> }> {
  const chunks: UIMessageChunk[] = [];
  const parsed = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema });
  const checked = parsed.pipeThrough(
    new TransformStream({
      transform(result, controller) {
        if (!result.success) throw result.error;
        chunks.push(result.value);
        controller.enqueue(result.value);
      },
    }),
  );
  let message: UIMessage<AnswerMetadata> | undefined;
  for await (const built of readUIMessageStream<UIMessage<AnswerMetadata>>({
    stream: checked,
    terminateOnError: true,
  }))
    message = built;
  return { chunks, message: message! };
}

const textOf = (message: UIMessage) =>
  message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

describe('createAssistant', () => {
  it('streams a cited answer that the AI SDK reads: metadata, sources before the text, then the text', async () => {
    const { telemetry, of } = recordTelemetry();
    const assistant = createAssistant({
      model: extractiveChatModel({ telemetry }),
      knowledge,
      tokenizer,
      telemetry,
      memory: false,
    });
    const result = await assistant.respond({ scope: ana, message: 'How do refunds work for annual plans?' });
    const response = result.toUIMessageStreamResponse();
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const { chunks, message } = await readAsUseChat(response);

    const firstText = chunks.findIndex((chunk) => chunk.type === 'text-delta');
    const sources = chunks.flatMap((chunk, index) => (chunk.type === 'source-document' ? [index] : []));
    expect(sources.length).toBeGreaterThan(0);
    expect(Math.max(...sources)).toBeLessThan(firstText);
    const [first] = message.parts.filter((part) => part.type === 'source-document');
    expect(first).toMatchObject({
      title: 'Refund policy',
      providerMetadata: { neptune: { marker: 1, documentId: 'billing-refunds' } },
    });

    const text = textOf(message);
    expect(text).toContain('refunded in full within 30 days');
    expect(text).toContain('[1]');
    expect(message.metadata).toMatchObject({
      requestId: result.requestId,
      model: 'offline/extractive',
      passages: result.citations.length,
      degraded: [],
      cited: expect.arrayContaining([1]),
    });
    expect(message.metadata?.promptTokens).toBeGreaterThan(0);

    const outcome = await result.finished;
    expect(outcome).toMatchObject({ ok: true, text, remembered: false });
    expect(outcome.utilisation).toBeGreaterThan(0);
    // One start and one end, by the assistant, with the answer's figures.
    expect(of('request-start')).toHaveLength(1);
    const [end] = of('request-end');
    expect(of('request-end')).toHaveLength(1);
    expect(end).toMatchObject({
      ok: true,
      requestId: result.requestId,
      passages: result.citations.length,
      degraded: [],
    });
    expect(end!.citedPassages).toBe(outcome.cited.length);
    expect(end!.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(end!.timeToFirstTokenMs).toBeLessThanOrEqual(end!.durationMs);
    expect(end!.outputTokens).toBeGreaterThan(0);
  });

  it('leaves out passages far less relevant than the best, under either fusion', async () => {
    for (const fusion of ['rrf', 'score'] as const) {
      const assistant = createAssistant({
        model: extractiveChatModel(),
        knowledge,
        tokenizer,
        memory: false,
        retrieve: { fusion, topK: 8 },
      });
      const prepared = await assistant.prepare({
        scope: ana,
        message: 'How long until a refund reaches my card?',
      });
      const uncut = await knowledge.retrieve({ workspaceId: WORKSPACE }, prepared.question, {
        fusion,
        topK: 8,
        minRelativeScore: 0,
      });
      expect(uncut.passages).toHaveLength(8);
      expect(prepared.passages.length).toBeGreaterThan(0);
      expect(prepared.passages.length).toBeLessThan(8);
      expect(prepared.passages[0]!.citation.documentId).toBe('billing-refunds');
    }
  });

  it('remembers the turn and answers a follow-up from the conversation', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out', tokenizer });
    const assistant = createAssistant({ model: extractiveChatModel(), knowledge, tokenizer, memory });
    const first = await assistant.respond({
      scope: ana,
      conversationId: 'c1',
      message: 'How do refunds work?',
    });
    await first.text;
    expect((await first.finished).remembered).toBe(true);

    const followUp = await assistant.prepare({
      scope: ana,
      conversationId: 'c1',
      message: 'And how long does that take?',
    });
    expect(followUp.memory?.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(followUp.searchQuery).toContain('refunds');
    expect(followUp.passages[0]?.citation.documentId).toBe('billing-refunds');
    expect(followUp.timings.rewriteMs).toBeGreaterThanOrEqual(0);
    // A question that stands alone is searched as asked, without waiting for the recall.
    const standalone = await assistant.prepare({
      scope: ana,
      conversationId: 'c1',
      message: 'Which plans include single sign-on?',
    });
    expect(standalone.searchQuery).toBe('Which plans include single sign-on?');
    expect(standalone.timings.rewriteMs).toBeUndefined();
  });

  it('serves prepare() to callers who run the model themselves, and counts what the answer cited', async () => {
    const { telemetry, of } = recordTelemetry();
    const assistant = createAssistant({
      model: extractiveChatModel(),
      knowledge,
      tokenizer,
      telemetry,
      memory: false,
    });
    const prepared = await assistant.prepare({
      scope: ana,
      message: 'Can I get my money back on a yearly subscription?',
      requestId: 'req-1',
    });
    expect(prepared.messages[0]!.role).toBe('system');
    expect(prepared.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Can I get my money back on a yearly subscription?',
    });
    expect(prepared.citations.length).toBeGreaterThan(0);
    expect(of('request-end')).toHaveLength(0);
    const outcome = await prepared.remember('Yes, within 30 days [1]. See also [9].', {
      inputTokens: 10,
      outputTokens: 5,
    });
    expect(outcome.cited).toEqual([1]);
    expect(outcome.utilisation).toBeCloseTo(1 / prepared.citations.length);
    await prepared.remember('again');
    expect(of('request-end')).toEqual([
      expect.objectContaining({ requestId: 'req-1', citedPassages: 1, ok: true }),
    ]);
  });

  it('rejects a bad request with a typed error naming the field', async () => {
    const assistant = createAssistant({ model: extractiveChatModel(), memory: false });
    await expect(assistant.prepare({ scope: ana, message: '   ' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('message'),
    });
    await expect(assistant.prepare({ scope: { workspaceId: '' }, message: 'hi' })).rejects.toMatchObject({
      code: 'invalid-scope',
    });
    await expect(
      assistant.prepare({ scope: ana, message: 'hi', conversationId: 'a b' }),
    ).rejects.toMatchObject({ message: expect.stringContaining('conversationId') });
    expect(() => createAssistant({} as never)).toThrow(/model/);
  });
});

describe('degrade, never fail', () => {
  const failingKnowledge: KnowledgeSource = {
    retrieve: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
  };
  const hangingSource = defineContextSource({
    kind: 'crm',
    scope: 'workspace',
    ttlMs: 1_000,
    timeoutMs: 4_000,
    schema: z.object({ id: z.string() }),
    load: (_scope, { signal }) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    toItem: (row) => ({ id: row.id, type: 'lead', title: row.id }),
  });

  it('answers without a part that throws or hangs, and says which', async () => {
    const { telemetry, of } = recordTelemetry();
    const memory = createMemory({ consentDefaults: 'opt-out', tokenizer });
    const assistant = createAssistant({
      model: extractiveChatModel(),
      knowledge: failingKnowledge,
      gatherer: createContextGatherer({ sources: [hangingSource] }),
      memory,
      tokenizer,
      telemetry,
      timeouts: { context: 50 },
    });
    const result = await assistant.respond({
      scope: ana,
      conversationId: 'd1',
      message: 'How do refunds work?',
    });
    const { message } = await readAsUseChat(result.toUIMessageStreamResponse());
    expect(textOf(message).length).toBeGreaterThan(0);
    const degraded = message.metadata?.degraded ?? [];
    expect(degraded).toEqual(
      expect.arrayContaining([
        { part: 'knowledge', code: 'unavailable' },
        { part: 'context', code: 'timeout' },
      ]),
    );
    // The client learns what was left out, never the dependency's own message.
    expect(JSON.stringify(message.metadata)).not.toContain('ECONNREFUSED');
    expect(result.prepared.degraded.find((entry) => entry.part === 'knowledge')?.reason).toContain(
      'ECONNREFUSED',
    );
    const [end] = of('request-end');
    expect(end).toMatchObject({ ok: true });
    expect(end!.degraded).toEqual(expect.arrayContaining(['knowledge', 'context']));
    expect(of('error').map((event) => event.source)).toContain('assistant');
    expect((await result.finished).remembered).toBe(true);
  });

  it('ends the stream without waiting for the turn to be remembered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const memory = createMemory({ consentDefaults: 'opt-out', tokenizer });
    const slow = {
      ...memory,
      remember: async (...args: Parameters<typeof memory.remember>) => {
        await gate; // a memory store that is down: remembering waits on it
        return memory.remember(...args);
      },
    };
    const assistant = createAssistant({ model: extractiveChatModel(), knowledge, tokenizer, memory: slow });
    const result = await assistant.respond({
      scope: ana,
      conversationId: 'slow',
      message: 'How do refunds work?',
    });
    let settled = false;
    void result.finished.then(() => {
      settled = true;
    });
    const body = await result.toUIMessageStreamResponse().text();
    expect(body).toContain('"type":"finish"');
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(settled).toBe(false);
    release();
    expect(await result.finished).toMatchObject({ ok: true, remembered: true });
  });

  it('reports a memory store that fails, and still answers from knowledge', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out', tokenizer });
    const broken = { ...memory, recall: async () => Promise.reject(new Error('redis down')) };
    const assistant = createAssistant({ model: extractiveChatModel(), knowledge, tokenizer, memory: broken });
    const prepared = await assistant.prepare({
      scope: ana,
      conversationId: 'm1',
      message: 'How do refunds work?',
    });
    expect(prepared.degraded.map((entry) => entry.part)).toEqual(['memory']);
    expect(prepared.passages[0]?.citation.documentId).toBe('billing-refunds');
  });

  describe('with a model behind an OpenAI-compatible server', () => {
    let server: OpenAICompatibleServer;
    beforeAll(async () => {
      server = await startOpenAICompatibleServer();
    });
    afterAll(() => server.close());
    const model = () =>
      openaiChatModel({ apiKey: 'test', baseURL: server.url, model: 'gpt-4o-mini', maxRetries: 0 });

    it('streams the model answer', async () => {
      server.enqueue({ kind: 'chat', content: 'Annual plans are refundable within 30 days [1].' });
      const assistant = createAssistant({ model: model(), knowledge, tokenizer, memory: false });
      const result = await assistant.respond({ scope: ana, message: 'How do refunds work?' });
      expect(await result.text).toBe('Annual plans are refundable within 30 days [1].');
      expect((await result.finished).cited).toEqual([1]);
    });

    it('falls back to the extractive answer when the model fails before its first token', async () => {
      server.enqueue({ kind: 'status', status: 500 });
      const assistant = createAssistant({ model: model(), knowledge, tokenizer, memory: false });
      const result = await assistant.respond({ scope: ana, message: 'How do refunds work?' });
      const { message } = await readAsUseChat(result.toUIMessageStreamResponse());
      expect(textOf(message)).toContain('refunded in full within 30 days');
      expect(message.metadata?.degraded).toEqual([{ part: 'model', code: 'unavailable' }]);
      expect((await result.finished).ok).toBe(true);
    });

    it('falls back when the model hangs past the first-token deadline', async () => {
      server.enqueue({ kind: 'hang' });
      const assistant = createAssistant({
        model: model(),
        knowledge,
        tokenizer,
        memory: false,
        timeouts: { firstToken: 200 },
      });
      const result = await assistant.respond({ scope: ana, message: 'How do refunds work?' });
      expect(await result.text).toContain('refunded in full');
      expect((await result.finished).degraded).toEqual([{ part: 'model', code: 'timeout' }]);
    });

    it('keeps what was streamed when the model fails mid-answer', async () => {
      server.enqueue({
        kind: 'chat',
        content: 'Annual plans can be refunded within thirty days of purchase.',
        stallAfterChunks: 2,
      });
      const stalling = openaiChatModel({
        apiKey: 'test',
        baseURL: server.url,
        model: 'gpt-4o-mini',
        maxRetries: 0,
        timeoutMs: 300,
      });
      const assistant = createAssistant({ model: stalling, knowledge, tokenizer, memory: false });
      const result = await assistant.respond({ scope: ana, message: 'How do refunds work?' });
      const text = await result.text;
      expect(text).toMatch(/\[answer cut short\]$/);
      const outcome = await result.finished;
      expect(outcome).toMatchObject({ ok: true, finishReason: 'error' });
      expect(outcome.degraded).toEqual([{ part: 'model', code: 'partial' }]);
    });
  });
});
