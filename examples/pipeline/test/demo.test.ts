import { startUpstashRestServer } from '@neptune/cache/testing';
import { describeWithService, randomTestId, startOpenAICompatibleServer } from '@neptune/core/testing';
import { startUpstashVectorServer } from '@neptune/rag/testing';
import { describe, expect, it } from 'vitest';
import { DEMO_QUESTIONS, type DemoResult, runDemo } from '../src/demo';

const EXPECTED = ['billing-refunds', 'security-sso', 'api-rate-limits', 'billing-refunds'];

function expectTheWholePipeline(result: DemoResult) {
  expect(result.documents).toBe(12);
  // Each part says once what it runs on.
  expect(result.backends.map((line) => line.split(/\s+/)[0]).sort()).toEqual([
    'cache',
    'keywords',
    'memory',
    'model',
    'vectors',
  ]);
  expect(result.turns.map((turn) => turn.question)).toEqual([...DEMO_QUESTIONS, DEMO_QUESTIONS[0]]);
  // Memory grows by one turn per request, and the repeated question is served from the result cache.
  expect(result.turns.map((turn) => turn.memory.messages)).toEqual([0, 2, 4, 6]);
  expect(result.turns.map((turn) => turn.retrievalCached)).toEqual([false, false, false, true]);
  expect(result.turns.slice(1).every((turn) => turn.contextCacheHits === 3)).toBe(true);
  expect(result.cache.hits).toBeGreaterThan(0);
  // Pruning: every prompt is smaller than the same request with everything in full.
  for (const turn of result.turns) expect(turn.promptTokens).toBeLessThan(turn.unprunedTokens);
}

describe('README demo, offline', () => {
  it('answers each question from the right article, with citations, through context, retrieval, memory and assembly', async () => {
    const lines: string[] = [];
    const result = await runDemo({ env: {}, write: (line) => lines.push(line) });
    expectTheWholePipeline(result);
    expect(result.model).toBe('offline/extractive');
    expect(result.turns.map((turn) => turn.retrieved[0])).toEqual(EXPECTED);
    expect(result.turns.map((turn) => turn.citations.map((citation) => citation.documentId))).toEqual(
      EXPECTED.map((id) => [id]),
    );
    expect(result.turns[0]!.answer).toMatch(/^Extractive answer/);
    expect(result.turns[0]!.answer).toContain(
      'Annual plans can be refunded in full within 30 days of purchase.',
    );
    expect(result.turns[2]!.memory.facts.join(' ')).toMatch(/Okta/);
    const output = lines.join('\n');
    expect(output).toContain('[1] Refund policy (billing-refunds)');
    expect(output).toMatch(/Latency per stage over 4 requests/);
    expect(output).toMatch(/Cache: \d+ hits of \d+ lookups/);
    expect(output).toMatch(/Tokens: \d+ prompt tokens sent, against \d+ .* saved \(\d+%\)/);
  });

  it('uses OpenAI when OPENAI_API_KEY is set (here: an OpenAI-compatible server on localhost)', async () => {
    const server = await startOpenAICompatibleServer();
    try {
      for (let index = 0; index < 4; index++)
        server.enqueue({ path: '/v1/chat/completions', kind: 'chat', content: `Model answer ${index} [1]` });
      const result = await runDemo({
        env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.url },
        write: () => {},
      });
      expect(result.model).toBe('openai/gpt-4o-mini');
      expect(result.turns.map((turn) => turn.answer)).toEqual(
        [0, 1, 2, 3].map((index) => `Model answer ${index} [1]`),
      );
      const paths = server.requests.map((request) => request.path);
      expect(paths.filter((path) => path.endsWith('/embeddings')).length).toBeGreaterThan(0);
      const chat = server.requests.filter((request) => request.path.endsWith('/chat/completions'));
      expect(chat).toHaveLength(4);
      const first = chat[0]!.body as { messages: Array<{ role: string; content: string }>; stream: boolean };
      expect(first.stream).toBe(true);
      expect(first.messages[0]!.content).toMatch(/## Knowledge\s+\[1\] /);
    } finally {
      await server.close();
    }
  });
});

describeWithService('REDIS_URL', 'README demo on Redis', (redisUrl) => {
  describeWithService('DATABASE_URL', 'and PostgreSQL', (databaseUrl) => {
    it('runs the same pipeline with the cache on Redis and memory and keywords in PostgreSQL, twice over', async () => {
      const workspaceId = randomTestId('demo-');
      for (let run = 0; run < 2; run++) {
        const result = await runDemo({
          env: { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl },
          workspaceId,
          write: () => {},
        });
        expect(result.backends.join('\n')).toMatch(/cache\s+Redis/);
        expect(result.backends.join('\n')).toMatch(/memory\s+PostgreSQL/);
        expectTheWholePipeline(result);
        expect(result.turns.map((turn) => turn.citations[0]?.documentId)).toEqual(EXPECTED);
      }
    });
  });
});

describeWithService('REDIS_URL', 'README demo on Upstash', (redisUrl) => {
  it('runs with the cache on Upstash Redis and the vectors on Upstash Vector (their REST protocols, served locally)', async () => {
    const [redisRest, vectorRest] = await Promise.all([
      startUpstashRestServer({ redisUrl }),
      startUpstashVectorServer({ dimension: 1536 }),
    ]);
    try {
      const result = await runDemo({
        env: {
          UPSTASH_REDIS_REST_URL: redisRest.url,
          UPSTASH_REDIS_REST_TOKEN: redisRest.token,
          UPSTASH_VECTOR_REST_URL: vectorRest.url,
          UPSTASH_VECTOR_REST_TOKEN: vectorRest.token,
        },
        workspaceId: randomTestId('demo-'),
        write: () => {},
      });
      expect(result.backends.join('\n')).toMatch(/cache\s+Upstash Redis/);
      expect(result.backends.join('\n')).toMatch(/vectors\s+Upstash Vector/);
      expectTheWholePipeline(result);
      expect(result.turns.map((turn) => turn.citations[0]?.documentId)).toEqual(EXPECTED);
      expect(vectorRest.requests.upsert).toBeGreaterThan(0);
      expect(vectorRest.requests.query).toBeGreaterThan(0);
      expect(Object.values(redisRest.requests).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    } finally {
      await Promise.all([redisRest.close(), vectorRest.close()]);
    }
  });
});
