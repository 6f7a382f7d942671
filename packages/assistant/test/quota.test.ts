import { memoryKeyValueStore } from '@neptune/cache';
import { upstashKeyValueStore } from '@neptune/cache/upstash';
import {
  ConfigurationError,
  createTelemetryChannel,
  type NeptuneEvent,
  QuotaExceededError,
} from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { describe, expect, it } from 'vitest';
import { type AnswerMetadata, createAssistant, createWorkspaceQuota, type QuotaLimit } from '../src';
import { helpKnowledgeBase, WORKSPACE } from './help-articles';

const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
const knowledge = await helpKnowledgeBase();
const MINUTE = 60_000;

function setup(
  limits: readonly QuotaLimit[],
  options: { now?: () => number; store?: ReturnType<typeof memoryKeyValueStore> } = {},
) {
  const store = options.store ?? memoryKeyValueStore();
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  const quota = createWorkspaceQuota({
    store,
    limits,
    now: options.now,
    price: (usage) => usage.inputTokens + 2 * usage.outputTokens,
  });
  const assistant = createAssistant({
    model: extractiveChatModel(),
    knowledge,
    memory: false,
    tokenizer,
    telemetry,
    quota,
  });
  const pending: Promise<unknown>[] = [];
  const handler = assistant.handler({
    resolveScope: () => ({ workspaceId: WORKSPACE, userId: 'ana' }),
    after: (work) => pending.push(work),
  });
  const ask = (message = 'How do refunds work?') =>
    handler(new Request('http://localhost/api/chat', { method: 'POST', body: JSON.stringify({ message }) }));
  const counters = async () => {
    const keys: string[] = [];
    for await (const key of store.list({ workspaceId: WORKSPACE })) keys.push(key);
    const values = await store.getMany({ workspaceId: WORKSPACE }, keys);
    return Object.fromEntries(keys.map((key, index) => [key.split(':').at(-1), Number(values[index])]));
  };
  return { assistant, ask, counters, events, pending, store };
}

async function finishMetadata(response: Response): Promise<AnswerMetadata | undefined> {
  const chunks = (await response.text())
    .split('\n\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)) as { type: string; messageMetadata?: AnswerMetadata });
  return chunks.find((chunk) => chunk.type === 'finish')?.messageMetadata;
}

describe('workspace quotas in the assistant', () => {
  it('refuses the request past the limit with 429 and Retry-After, counting and recording nothing', async () => {
    const start = 10 * MINUTE + 15_000; // 45 s before the minute window ends
    const { ask, counters, events, pending } = setup([{ windowMs: MINUTE, requests: 2 }], {
      now: () => start,
    });
    for (let answered = 0; answered < 2; answered++) {
      const response = await ask();
      expect(response.status).toBe(200);
      await response.text();
    }
    await Promise.all(pending);
    const startsBefore = events.filter((event) => event.type === 'request-start').length;
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'quota-exceeded', code: 'quota-exceeded', retryAfterSeconds: 45 });
    expect(body.message).toMatch(/"acme" is over its quota: 2 requests per 60 s \(2 requests used\)/);
    expect(await counters()).toEqual({ requests: 2 });
    expect(events.filter((event) => event.type === 'request-start')).toHaveLength(startsBefore);
    expect(events.filter((event) => event.type === 'request-end')).toHaveLength(2);
  });

  it('opens a new window when the old one ends', async () => {
    let now = 5 * MINUTE;
    const { ask } = setup([{ windowMs: MINUTE, requests: 1 }], { now: () => now });
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(429);
    now += MINUTE;
    expect((await ask()).status).toBe(200);
  });

  it('holds a reservation at admission and replaces it by the tokens and cost the answer used', async () => {
    const { assistant, counters } = setup([
      { windowMs: MINUTE, requests: 10, tokens: 1_000_000, costMicroUsd: 5_000_000 },
    ]);
    const result = await assistant.respond({
      scope: { workspaceId: WORKSPACE },
      message: 'How do refunds work?',
    });
    expect(await counters()).toEqual({ requests: 1, tokens: 1, costMicroUsd: 1 });
    await result.text;
    const outcome = await result.finished;
    const usage = outcome.usage!;
    expect(usage.inputTokens).toBeGreaterThan(50);
    await expect.poll(counters).toEqual({
      requests: 1,
      tokens: usage.inputTokens + usage.outputTokens,
      costMicroUsd: usage.inputTokens + 2 * usage.outputTokens,
    });
  });

  it('refuses once the tokens used reach the limit, even with requests to spare', async () => {
    const { assistant, ask, counters } = setup([{ windowMs: MINUTE, requests: 100, tokens: 50 }]);
    const first = await assistant.respond({
      scope: { workspaceId: WORKSPACE },
      message: 'How do refunds work?',
    });
    await first.text;
    await expect.poll(async () => (await counters()).tokens).toBeGreaterThan(50);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect((await refused.json()) as object).toMatchObject({
      exceeded: [{ measure: 'tokens', windowMs: MINUTE, limit: 50 }],
    });
  });

  it('gives everything back when the request gets no answer', async () => {
    const { assistant, counters } = setup([{ windowMs: MINUTE, requests: 1, tokens: 1_000 }]);
    const abort = new AbortController();
    const result = await assistant.respond({
      scope: { workspaceId: WORKSPACE },
      message: 'How do refunds work?',
      signal: abort.signal,
    });
    expect(await counters()).toEqual({ requests: 1, tokens: 1 });
    abort.abort();
    await result.text;
    const outcome = await result.finished;
    expect(outcome.ok).toBe(false);
    await expect.poll(counters).toEqual({ requests: 0, tokens: 0 });
    // The request given back leaves room for the next one.
    expect(
      (await (await assistant.respond({ scope: { workspaceId: WORKSPACE }, message: 'Refunds?' })).text)
        .length,
    ).toBeGreaterThan(0);
  });

  it('throws a QuotaExceededError from respond, and counts each workspace on its own', async () => {
    const { assistant } = setup([{ windowMs: MINUTE, requests: 1 }]);
    await (await assistant.respond({ scope: { workspaceId: WORKSPACE }, message: 'Refunds?' })).text;
    const error = await assistant
      .respond({ scope: { workspaceId: WORKSPACE }, message: 'Refunds?' })
      .catch((thrown: unknown) => thrown);
    expect(QuotaExceededError.isInstance(error)).toBe(true);
    expect((error as QuotaExceededError).isRetryable).toBe(true);
    const other = await assistant.respond({ scope: { workspaceId: 'globex' }, message: 'Refunds?' });
    expect((await other.text).length).toBeGreaterThan(0);
  });

  it('lets the request through, reported as degraded quota, when the quota store is down', async () => {
    // A real @upstash/redis client against a port nothing listens on: the failure happens on the wire.
    const store = upstashKeyValueStore({ url: 'http://127.0.0.1:9', token: 't', prefix: 'down:' });
    const { ask, events } = setup([{ windowMs: MINUTE, requests: 1 }], { store: store as never });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await ask();
      expect(response.status).toBe(200);
      expect((await finishMetadata(response))?.degraded).toContainEqual({
        part: 'quota',
        code: 'unavailable',
      });
    }
    expect(events.some((event) => event.type === 'error' && event.message.startsWith('quota left out'))).toBe(
      true,
    );
  });

  it('refuses bad limits with a ConfigurationError that names the problem', () => {
    const store = memoryKeyValueStore();
    const bad: Array<[unknown, RegExp]> = [
      [[], /limits/],
      [[{ windowMs: 10, requests: 1 }], /windowMs.*at least 1,000 ms/],
      [[{ windowMs: MINUTE }], /at least one of requests, tokens, costMicroUsd/],
      [[{ windowMs: MINUTE, requests: -1 }], /requests/],
      [[{ windowMs: MINUTE, costMicroUsd: 100 }], /no price option/],
    ];
    for (const [limits, message] of bad) {
      const create = () => createWorkspaceQuota({ store, limits: limits as QuotaLimit[] });
      expect(create, JSON.stringify(limits)).toThrow(message);
      expect(() => create()).toThrow(ConfigurationError);
    }
  });
});
