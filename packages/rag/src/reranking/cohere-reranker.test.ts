import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AbortError, ConfigurationError, createTelemetryChannel, type NeptuneEvent } from '@neptune/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cohereReranker } from './cohere-reranker';

type Scripted = { status: number; retryAfterSeconds?: number } | 'hang';

interface RecordedRerank {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: {
    model: string;
    query: string;
    documents: string[];
    top_n?: number;
    max_tokens_per_doc?: number;
  };
}

const API_KEY = 'test-cohere-key';

/** Speaks Cohere's rerank v2 API: bearer auth, `{ results: [{ index, relevance_score }] }`, errors as `{ message }`. */
async function startCohereServer() {
  const requests: RecordedRerank[] = [];
  const script: Scripted[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRerank['body'];
    requests.push({ path: incoming.url ?? '', headers: incoming.headers, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(payload));
    };
    if (incoming.headers.authorization !== `Bearer ${API_KEY}`)
      return send(401, { message: 'invalid api token' });
    if (incoming.url !== '/v2/rerank') return send(404, { message: 'not found' });
    const scripted = script.shift();
    if (scripted === 'hang') return;
    if (scripted !== undefined) {
      const headers: Record<string, string> =
        scripted.retryAfterSeconds === undefined ? {} : { 'retry-after': String(scripted.retryAfterSeconds) };
      return send(scripted.status, { message: `scripted ${scripted.status}` }, headers);
    }
    // Relevance: the share of query words a document holds, so tests know the expected order.
    const queryWords = new Set(body.query.toLowerCase().split(/\W+/).filter(Boolean));
    const results = body.documents
      .map((document, index) => {
        const words = new Set(document.toLowerCase().split(/\W+/));
        const shared = [...queryWords].filter((word) => words.has(word)).length;
        return { index, relevance_score: shared / queryWords.size };
      })
      .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
      .slice(0, body.top_n ?? body.documents.length);
    send(200, { id: 'rerank-test', results, meta: { billed_units: { search_units: 1 } } });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script: (...entries: Scripted[]) => script.push(...entries),
    reset: () => {
      requests.length = 0;
      script.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const candidates = [
  { id: 'a', text: 'Bananas are yellow fruit.', score: 0.03 },
  { id: 'b', text: 'Reset your password from the account settings page.', score: 0.02 },
  { id: 'c', text: '   ', score: 0.015 },
  { id: 'd', text: 'Password rules: twelve characters.', score: 0.01 },
];

let server: Awaited<ReturnType<typeof startCohereServer>>;
beforeAll(async () => {
  server = await startCohereServer();
});
afterAll(() => server.close());
afterEach(() => server.reset());

function recordingTelemetry() {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  return { telemetry, events };
}

const fastRetries = { retryBaseDelayMs: 1, retryMaxDelayMs: 50 };

describe('cohereReranker', () => {
  it('posts model, query, non-blank documents and top_n to /v2/rerank with bearer auth, and maps results back to ids', async () => {
    const reranker = cohereReranker({
      apiKey: API_KEY,
      baseURL: `${server.url}/`,
      maxTokensPerDocument: 512,
    });
    const results = await reranker.rerank('how to reset password', candidates, { topN: 3 });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.path).toBe('/v2/rerank');
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      model: 'rerank-v3.5',
      query: 'how to reset password',
      documents: [candidates[0]!.text, candidates[1]!.text, candidates[3]!.text],
      top_n: 3,
      max_tokens_per_doc: 512,
    });
    expect(results).toEqual([
      { id: 'b', score: 0.5 },
      { id: 'd', score: 0.25 },
      { id: 'a', score: 0 },
    ]);
  });

  it('retries a 429 and then succeeds', async () => {
    server.script({ status: 429, retryAfterSeconds: 0 });
    const { telemetry, events } = recordingTelemetry();
    const reranker = cohereReranker({ apiKey: API_KEY, baseURL: server.url, telemetry, ...fastRetries });
    const results = await reranker.rerank('password rules', candidates, { topN: 1 });
    expect(server.requests).toHaveLength(2);
    expect(results).toEqual([{ id: 'd', score: 1 }]);
    expect(events).toEqual([]);
  });

  it('gives up after maxRetries on 500s, keeps the input order and emits a retryable error event', async () => {
    server.script({ status: 500 }, { status: 500 }, { status: 500 });
    const { telemetry, events } = recordingTelemetry();
    const reranker = cohereReranker({
      apiKey: API_KEY,
      baseURL: server.url,
      maxRetries: 2,
      telemetry,
      ...fastRetries,
    });
    const results = await reranker.rerank('password', candidates, { topN: 4 });
    expect(server.requests).toHaveLength(3);
    expect(results).toEqual(candidates.map(({ id, score }) => ({ id, score })));
    expect(events).toEqual([
      expect.objectContaining({ type: 'error', source: 'rag', code: 'provider-error', retryable: true }),
    ]);
    expect((events[0] as { message: string }).message).toContain('HTTP 500');
  });

  it('does not retry a refused key, and says where the key comes from', async () => {
    const { telemetry, events } = recordingTelemetry();
    const reranker = cohereReranker({ apiKey: 'wrong', baseURL: server.url, telemetry, ...fastRetries });
    const results = await reranker.rerank('password', candidates, { topN: 2 });
    expect(server.requests).toHaveLength(1);
    expect(results.map((result) => result.id)).toEqual(['a', 'b']);
    expect(events).toEqual([expect.objectContaining({ code: 'authentication-failed', retryable: false })]);
    expect((events[0] as { message: string }).message).toContain('COHERE_API_KEY');
  });

  it('times out a hanging server per attempt and falls back', async () => {
    server.script('hang', 'hang');
    const { telemetry, events } = recordingTelemetry();
    const reranker = cohereReranker({
      apiKey: API_KEY,
      baseURL: server.url,
      timeoutMs: 100,
      maxRetries: 1,
      telemetry,
      ...fastRetries,
    });
    const started = Date.now();
    const results = await reranker.rerank('password', candidates, { topN: 4 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(2);
    expect(results.map((result) => result.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(events).toEqual([expect.objectContaining({ code: 'timeout', retryable: true })]);
  });

  it('rethrows when the caller aborts during the request', async () => {
    server.script('hang');
    const controller = new AbortController();
    const { telemetry, events } = recordingTelemetry();
    const reranker = cohereReranker({ apiKey: API_KEY, baseURL: server.url, telemetry });
    setTimeout(() => controller.abort(), 50);
    await expect(
      reranker.rerank('password', candidates, { topN: 2, signal: controller.signal }),
    ).rejects.toSatisfy(AbortError.isInstance);
    expect(events).toEqual([]);
  });

  it('reads COHERE_API_KEY, and names both the option and the variable when neither is set', async () => {
    const previous = process.env.COHERE_API_KEY;
    try {
      process.env.COHERE_API_KEY = API_KEY;
      await cohereReranker({ baseURL: server.url }).rerank('password', candidates, { topN: 1 });
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
      delete process.env.COHERE_API_KEY;
      expect(() => cohereReranker({ baseURL: server.url })).toThrow(ConfigurationError);
      expect(() => cohereReranker({ baseURL: server.url })).toThrow(/apiKey.*COHERE_API_KEY/);
    } finally {
      if (previous === undefined) delete process.env.COHERE_API_KEY;
      else process.env.COHERE_API_KEY = previous;
    }
  });

  it('sends nothing when there is nothing to rank, and refuses a bad baseURL', async () => {
    const reranker = cohereReranker({ apiKey: API_KEY, baseURL: server.url });
    expect(await reranker.rerank('q', [], { topN: 3 })).toEqual([]);
    expect(await reranker.rerank('q', candidates, { topN: 0 })).toEqual([]);
    expect(server.requests).toHaveLength(0);
    expect(() => cohereReranker({ apiKey: API_KEY, baseURL: 'api.cohere.com' })).toThrow(/baseURL/);
  });
});
