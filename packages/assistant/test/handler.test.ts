import { createTelemetryChannel, type NeptuneEvent, validateScope } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import { describe, expect, it } from 'vitest';
import { createAssistant } from '../src';
import { helpKnowledgeBase, WORKSPACE } from './help-articles';

const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
const knowledge = await helpKnowledgeBase();
const telemetry = createTelemetryChannel();
const events: NeptuneEvent[] = [];
telemetry.subscribe((event) => events.push(event));
const memory = createMemory({ consentDefaults: 'opt-out', tokenizer, telemetry });
const assistant = createAssistant({
  model: extractiveChatModel({ telemetry }),
  knowledge,
  memory,
  tokenizer,
  telemetry,
});
const pending: Promise<unknown>[] = [];

/** The demo's session: the user in `x-user`; no header, no access. */
const handler = assistant.handler({
  resolveScope: (request) => {
    const user = request.headers.get('x-user');
    if (user === null) return Response.json({ error: 'unauthorized' }, { status: 401 });
    return validateScope({ workspaceId: WORKSPACE, userId: user });
  },
  after: (work) => pending.push(work),
});

const post = (body: unknown, headers: Record<string, string> = { 'x-user': 'ana' }) =>
  handler(
    new Request('http://localhost/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

describe('assistant.handler', () => {
  it('answers bad bodies 400 with a message naming the field, never 500', async () => {
    const cases: Array<[unknown, string]> = [
      ['{not json', 'must be JSON'],
      [{}, 'message'],
      [{ message: '' }, 'message'],
      [{ message: 42 }, 'message'],
      [{ message: 'x'.repeat(4_001) }, 'message'],
      [{ message: 'hi', conversationId: 'not valid!' }, 'conversationId'],
      [{ message: 'hi', conversationId: 7 }, 'conversationId'],
      [[], 'message'],
      [null, 'message'],
      [{ id: 'c1', messages: [] }, 'messages'],
      [{ id: 'c1', messages: [{ role: 'robot', parts: [] }] }, 'role'],
      [{ id: 'c1', messages: [{ role: 'user', parts: [{ type: 'text', text: '   ' }] }] }, 'message'],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const json = await response.json();
      expect(json.error).toBe('invalid-request');
      expect(json.message, JSON.stringify(body)).toContain(field);
    }
    const issues = (await (await post({ message: '' })).json()).issues;
    expect(issues).toEqual([expect.objectContaining({ path: 'message' })]);
  });

  it('refuses what resolveScope refuses, other methods, and oversized bodies', async () => {
    expect((await post({ message: 'hi' }, {})).status).toBe(401);
    const get = await handler(new Request('http://localhost/api/chat'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post({ message: 'hi', pad: 'x'.repeat(70_000) })).status).toBe(413);
    // A session id the app cannot turn into a scope is a bad request too, not a crash.
    expect((await post({ message: 'hi' }, { 'x-user': '' })).status).toBe(400);
  });

  it("streams the answer for { message, conversationId } and for useChat's own body, and remembers", async () => {
    const first = await post({ message: 'How do refunds work?', conversationId: 'h1' });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const requestId = first.headers.get('x-request-id');
    const body = await first.text();
    expect(body).toContain('"type":"source-document"');
    expect(body).toContain('refunded in full');
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await Promise.all(pending);
    const end = events.find((event) => event.type === 'request-end' && event.requestId === requestId);
    expect(end).toMatchObject({ ok: true });

    const useChatBody = {
      id: 'h1',
      trigger: 'submit-message',
      messages: [
        { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'How do refunds work?' }] },
        { id: 'm2', role: 'assistant', parts: [{ type: 'text', text: '...' }] },
        { id: 'm3', role: 'user', parts: [{ type: 'text', text: 'And how long does that take?' }] },
      ],
    };
    const second = await post(useChatBody);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('"documentId":"billing-refunds"');
    await Promise.all(pending);
    const page = await memory.conversations.listMessages({ workspaceId: WORKSPACE, userId: 'ana' }, 'h1');
    expect(page.items.map((message) => message.content)).toContain('And how long does that take?');
  });

  it('streams plain text when asked', async () => {
    const text = assistant.handler({
      resolveScope: () => ({ workspaceId: WORKSPACE, userId: 'ana' }),
      stream: 'text',
    });
    const response = await text(
      new Request('http://localhost/api/chat', {
        method: 'POST',
        body: JSON.stringify({ message: 'Where can I download invoices?' }),
      }),
    );
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('[1]');
  });

  it('needs resolveScope', () => {
    expect(() => assistant.handler({} as never)).toThrow(/resolveScope/);
  });
});
