import { createOpenAI } from '@ai-sdk/openai';
import { memoryKeyValueStore, validateScope } from '@neptune/core';
import { describeWithService, startOpenAICompatibleServer } from '@neptune/core/testing';
import { embedMany, generateText, streamText, wrapLanguageModel } from 'ai';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, redisTestPrefix } from '../../test/helpers/redis-test-prefix';
import { type Cache, createCache } from '../create-cache';
import { redisKeyValueStore } from '../redis/redis-key-value-store';
import { cachedEmbeddingModel, cacheMiddleware } from './index';

const acme = validateScope({ workspaceId: 'acme' });
const globex = validateScope({ workspaceId: 'globex' });

function countChat(server: Awaited<ReturnType<typeof startOpenAICompatibleServer>>) {
  return server.requests.filter((request) => request.path.endsWith('/chat/completions')).length;
}

function suite(name: string, makeCache: () => Promise<{ cache: Cache; close: () => Promise<void> }>) {
  describe(name, () => {
    let server: Awaited<ReturnType<typeof startOpenAICompatibleServer>>;
    let provider: ReturnType<typeof createOpenAI>;
    let cache: Cache;
    let close: () => Promise<void>;

    beforeAll(async () => {
      server = await startOpenAICompatibleServer();
      provider = createOpenAI({ baseURL: server.url, apiKey: 'test-key' });
      ({ cache, close } = await makeCache());
    });
    afterAll(async () => {
      await close();
      await server.close();
    });

    const modelFor = (scope = acme) =>
      wrapLanguageModel({
        model: provider.chat('gpt-4o-mini'),
        middleware: cacheMiddleware({ cache, scope }),
      });

    it('answers a repeated generateText from the cache, and a different prompt from the model', async () => {
      server.enqueue({ kind: 'chat', content: 'Refunds take 5 days.' }, { kind: 'chat', content: 'Other.' });
      const before = countChat(server);
      const first = await generateText({ model: modelFor(), prompt: 'How long do refunds take?' });
      const second = await generateText({ model: modelFor(), prompt: 'How long do refunds take?' });
      expect(second.text).toBe('Refunds take 5 days.');
      expect(second.usage.inputTokens).toBe(first.usage.inputTokens);
      expect(countChat(server) - before).toBe(1);
      const other = await generateText({ model: modelFor(), prompt: 'Something else?' });
      expect(other.text).toBe('Other.');
      expect(countChat(server) - before).toBe(2);
    });

    it('replays a finished stream part by part, with the same text and finish', async () => {
      server.enqueue({ kind: 'chat', content: 'one two three four five' });
      const before = countChat(server);
      const read = async () => {
        const result = streamText({ model: modelFor(), prompt: 'Count to five' });
        const deltas: string[] = [];
        for await (const delta of result.textStream) deltas.push(delta);
        return { deltas, finishReason: await result.finishReason, usage: await result.usage };
      };
      const first = await read();
      const second = await read();
      expect(second.deltas.join('')).toBe('one two three four five');
      expect(second.deltas).toEqual(first.deltas);
      expect(second.finishReason).toBe('stop');
      expect(second.usage.outputTokens).toBe(first.usage.outputTokens);
      expect(countChat(server) - before).toBe(1);
    });

    it('does not store a stream that failed midway', async () => {
      server.enqueue({ kind: 'status', status: 400, message: 'bad' }, { kind: 'chat', content: 'fine now' });
      const before = countChat(server);
      const failed = streamText({ model: modelFor(), prompt: 'flaky', maxRetries: 0, onError: () => {} });
      for await (const _ of failed.textStream) void _;
      const result = streamText({ model: modelFor(), prompt: 'flaky' });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      expect(text).toBe('fine now');
      expect(countChat(server) - before).toBe(2);
    });

    it('never serves one workspace the answers cached for another', async () => {
      server.enqueue({ kind: 'chat', content: 'for acme' }, { kind: 'chat', content: 'for globex' });
      expect((await generateText({ model: modelFor(acme), prompt: 'tenant question' })).text).toBe(
        'for acme',
      );
      expect((await generateText({ model: modelFor(globex), prompt: 'tenant question' })).text).toBe(
        'for globex',
      );
      await cache.invalidate(acme, 'ai-sdk');
      server.enqueue({ kind: 'chat', content: 'acme again' });
      expect((await generateText({ model: modelFor(acme), prompt: 'tenant question' })).text).toBe(
        'acme again',
      );
      expect((await generateText({ model: modelFor(globex), prompt: 'tenant question' })).text).toBe(
        'for globex',
      );
    });

    it('embeds only the values it has not seen, keeping the input order', async () => {
      const model = cachedEmbeddingModel(provider.embedding('text-embedding-3-small'), {
        cache,
        scope: acme,
      });
      const embeddings = () => server.requests.filter((request) => request.path.endsWith('/embeddings'));
      const before = embeddings().length;
      const first = await embedMany({ model, values: ['alpha', 'beta'] });
      const second = await embedMany({ model, values: ['gamma', 'beta', 'alpha'] });
      const sent = embeddings()
        .slice(before)
        .map((request) => (request.body as { input: string[] }).input);
      expect(sent).toEqual([['alpha', 'beta'], ['gamma']]);
      expect(second.embeddings[1]).toEqual(first.embeddings[1]);
      expect(second.embeddings[2]).toEqual(first.embeddings[0]);
      expect(second.embeddings[0]).toHaveLength(1536);
    });
  });
}

describe('AI SDK cache and answers it cannot store', () => {
  it('still returns the generated text and the whole stream, and calls the model again next time', async () => {
    const server = await startOpenAICompatibleServer();
    try {
      const provider = createOpenAI({ baseURL: server.url, apiKey: 'test-key' });
      const cache = createCache({ store: memoryKeyValueStore(), maxValueBytes: 1_024 });
      const model = wrapLanguageModel({
        model: provider.chat('gpt-4o-mini'),
        middleware: cacheMiddleware({ cache, scope: acme }),
      });
      const long = 'word '.repeat(400).trim();
      server.enqueue(
        { kind: 'chat', content: long },
        { kind: 'chat', content: long },
        { kind: 'chat', content: long },
      );
      expect((await generateText({ model, prompt: 'long answer' })).text).toBe(long);
      let streamed = '';
      for await (const delta of streamText({ model, prompt: 'long stream' }).textStream) streamed += delta;
      expect(streamed).toBe(long);
      expect((await generateText({ model, prompt: 'long answer' })).text).toBe(long);
      expect(countChat(server)).toBe(3);
    } finally {
      await server.close();
    }
  });
});

suite('AI SDK cache on the memory store', async () => ({
  cache: createCache({ store: memoryKeyValueStore() }),
  close: async () => {},
}));

describeWithService('REDIS_URL', 'AI SDK cache on real Redis', (redisUrl) => {
  const prefix = redisTestPrefix();
  const admin = new Redis(redisUrl);
  suite('redis', async () => {
    const store = redisKeyValueStore({ url: redisUrl, prefix });
    return {
      cache: createCache({ store }),
      close: async () => {
        await dropPrefix(admin, prefix);
        await store.close?.();
        admin.disconnect();
      },
    };
  });
});
