import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A small OpenAI-compatible HTTP server for tests: `/v1/embeddings` and `/v1/chat/completions` (plain and
 * SSE streaming), speaking the real wire format so that the real `openai` client can be pointed at it.
 * Failures and specific answers are scripted with `enqueue()`; every request is recorded.
 *
 * ```ts
 * const server = await startOpenAICompatibleServer();
 * server.enqueue({ kind: 'rate-limit', retryAfterMs: 50 }, { kind: 'chat', content: '{"ok":true}' });
 * const model = openaiChatModel({ apiKey: 'test', baseURL: server.url });
 * // ... then assert on server.requests
 * await server.close();
 * ```
 */

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, or `undefined` when the body was empty or not JSON. */
  readonly body: unknown;
  /** `Date.now()` when the request arrived, for measuring waits between attempts. */
  readonly receivedAtMs: number;
}

/** The token usage a scripted answer reports. */
export interface ScriptedUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens?: number | undefined;
}

/**
 * One scripted answer. `path` limits it to requests on that path (e.g. `/v1/embeddings`); without it, it
 * answers the next request. `delayMs` holds the answer back, to simulate a slow server.
 */
export type ScriptedResponse = {
  readonly path?: string | undefined;
  readonly delayMs?: number | undefined;
} & (
  | {
      /** Answers as the server does when nothing is scripted; useful with `delayMs`. */
      readonly kind: 'default';
    }
  | {
      /** An error response in OpenAI's format: `{ error: { message, type, code } }`. */
      readonly kind: 'status';
      readonly status: number;
      readonly message?: string | undefined;
      readonly code?: string | undefined;
      readonly headers?: Readonly<Record<string, string>> | undefined;
    }
  | {
      /** A 429 with `Retry-After` (seconds) and/or `retry-after-ms`. */
      readonly kind: 'rate-limit';
      readonly retryAfterSeconds?: number | undefined;
      readonly retryAfterMs?: number | undefined;
      readonly code?: string | undefined;
    }
  | {
      /** Never answers; the connection stays open until the client gives up or the server closes. */
      readonly kind: 'hang';
    }
  | {
      /** Destroys the socket without answering, which clients see as a connection error. */
      readonly kind: 'disconnect';
    }
  | {
      /** A chat completion with this content, streamed or not as the request asks. */
      readonly kind: 'chat';
      readonly content: string;
      readonly finishReason?: 'stop' | 'length' | 'content_filter' | undefined;
      readonly usage?: ScriptedUsage | undefined;
      /** Streaming only: send this many content chunks, then stall without ending the response. */
      readonly stallAfterChunks?: number | undefined;
    }
);

/** Options of the OpenAI-compatible test server. */
export interface OpenAICompatibleServerOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`; others get a 401. */
  readonly apiKey?: string | undefined;
  /** Vector length when a request does not ask for `dimensions`. Default 1536. */
  readonly embeddingDimensions?: number | undefined;
  /** The assistant's answer when nothing is scripted. Default: `Echo: ` and the last user message. */
  readonly chatContent?: ((request: RecordedRequest) => string) | undefined;
  /** Answers before the queue is consulted; return `undefined` to fall through to the queue and defaults. */
  readonly handle?: ((request: RecordedRequest) => ScriptedResponse | undefined) | undefined;
}

/** A local HTTP server speaking the OpenAI API, scripted and recording requests, for tests. */
export interface OpenAICompatibleServer {
  /** The base URL to give a client, including `/v1`, e.g. `http://127.0.0.1:51234/v1`. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Scripts the next answers, consumed in order (an entry with a `path` waits for a request on it). */
  enqueue(...responses: ScriptedResponse[]): void;
  /** Answers still queued. */
  pending(): number;
  /** The most requests that were open at the same time since the start or the last `reset()`. */
  peakConcurrency(): number;
  /** Clears recorded requests and the queue. */
  reset(): void;
  /** Stops the server and drops open connections, including hanging ones. */
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startOpenAICompatibleServer(
  options: OpenAICompatibleServerOptions = {},
): Promise<OpenAICompatibleServer> {
  const requests: RecordedRequest[] = [];
  let queue: ScriptedResponse[] = [];
  const sockets = new Set<Socket>();
  let openRequests = 0;
  let peakOpenRequests = 0;

  const takeScripted = (path: string): ScriptedResponse | undefined => {
    const index = queue.findIndex((entry) => entry.path === undefined || entry.path === path);
    if (index === -1) return undefined;
    const [entry] = queue.splice(index, 1);
    return entry;
  };

  const server = createServer((incoming, response) => {
    openRequests++;
    peakOpenRequests = Math.max(peakOpenRequests, openRequests);
    response.on('close', () => openRequests--);
    void readRequest(incoming).then(
      (request) => {
        requests.push(request);
        const scripted = options.handle?.(request) ?? takeScripted(request.path);
        const answer = () => {
          // The client may have given up (timeout, abort) while a delayed answer was pending.
          if (!response.destroyed) respond(request, scripted, response, options);
        };
        if (scripted?.delayMs === undefined) answer();
        else setTimeout(answer, scripted.delayMs);
      },
      () => response.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    pending: () => queue.length,
    peakConcurrency: () => peakOpenRequests,
    reset: () => {
      requests.length = 0;
      queue = [];
      peakOpenRequests = openRequests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readRequest(incoming: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return {
    method: incoming.method ?? 'GET',
    path: (incoming.url ?? '/').split('?')[0] ?? '/',
    headers: incoming.headers,
    body,
    receivedAtMs: Date.now(),
  };
}

function respond(
  request: RecordedRequest,
  scripted: ScriptedResponse | undefined,
  response: ServerResponse,
  options: OpenAICompatibleServerOptions,
): void {
  if (scripted?.kind === 'hang') return;
  if (scripted?.kind === 'disconnect') {
    response.socket?.destroy();
    return;
  }
  if (scripted?.kind === 'status') {
    sendError(response, scripted.status, scripted.message ?? `Scripted ${scripted.status}.`, scripted);
    return;
  }
  if (scripted?.kind === 'rate-limit') {
    const headers: Record<string, string> = {};
    if (scripted.retryAfterSeconds !== undefined) headers['retry-after'] = String(scripted.retryAfterSeconds);
    if (scripted.retryAfterMs !== undefined) headers['retry-after-ms'] = String(scripted.retryAfterMs);
    sendError(response, 429, 'Rate limit reached for requests.', {
      code: scripted.code ?? 'rate_limit_exceeded',
      headers,
    });
    return;
  }
  if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
    sendError(response, 401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
    return;
  }
  if (request.method === 'POST' && request.path.endsWith('/embeddings')) {
    sendJson(response, 200, embeddingsBody(request, options.embeddingDimensions ?? 1536));
    return;
  }
  if (request.method === 'POST' && request.path.endsWith('/chat/completions')) {
    const chat = scripted?.kind === 'chat' ? scripted : undefined;
    const content = chat?.content ?? options.chatContent?.(request) ?? echoContent(request);
    const usage = chat?.usage ?? estimateChatUsage(request, content);
    const finishReason = chat?.finishReason ?? 'stop';
    if ((request.body as { stream?: boolean } | undefined)?.stream === true) {
      streamChat(request, response, {
        content,
        usage,
        finishReason,
        stallAfterChunks: chat?.stallAfterChunks,
      });
    } else {
      sendJson(response, 200, chatCompletionBody(request, content, usage, finishReason));
    }
    return;
  }
  sendError(response, 404, `No route for ${request.method} ${request.path}.`, { code: 'not_found' });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function sendError(
  response: ServerResponse,
  status: number,
  message: string,
  extra: { code?: string | undefined; headers?: Readonly<Record<string, string>> | undefined },
): void {
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(
    response,
    status,
    { error: { message, type, param: null, code: extra.code ?? null } },
    extra.headers,
  );
}

/** A stand-in token count (about four characters per token), deterministic so tests can assert on it. */
export function approximateTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * A deterministic unit vector for a text: the same text always gets the same vector, different texts
 * almost surely different ones. Exported so tests can compute the vector they expect.
 */
export function deterministicEmbedding(text: string, dimensions: number): Float32Array {
  // FNV-1a seeds a xorshift generator: cheap, stable across runs and platforms.
  let seed = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    seed ^= text.charCodeAt(index);
    seed = Math.imul(seed, 0x01000193) >>> 0;
  }
  const vector = new Float32Array(dimensions);
  let state = seed || 1;
  let norm = 0;
  for (let index = 0; index < dimensions; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = ((state >>> 0) / 0xffffffff) * 2 - 1;
    vector[index] = value;
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let index = 0; index < dimensions; index++) vector[index] = (vector[index] ?? 0) * scale;
  return vector;
}

function embeddingsBody(request: RecordedRequest, defaultDimensions: number): unknown {
  const body = (request.body ?? {}) as {
    input?: string | string[];
    model?: string;
    dimensions?: number;
    encoding_format?: string;
  };
  const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
  const dimensions = body.dimensions ?? defaultDimensions;
  const tokens = inputs.reduce((sum, text) => sum + approximateTokenCount(String(text)), 0);
  return {
    object: 'list',
    model: body.model ?? 'unknown',
    data: inputs.map((text, index) => {
      const vector = deterministicEmbedding(String(text), dimensions);
      // The openai client asks for base64 unless told otherwise: little-endian float32 bytes.
      const embedding =
        body.encoding_format === 'base64'
          ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64')
          : Array.from(vector);
      return { object: 'embedding', index, embedding };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

type ChatBody = { model?: string; messages?: { role: string; content: unknown }[] };

function echoContent(request: RecordedRequest): string {
  const messages = (request.body as ChatBody | undefined)?.messages ?? [];
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  return `Echo: ${typeof lastUser?.content === 'string' ? lastUser.content : ''}`;
}

function estimateChatUsage(request: RecordedRequest, content: string): ScriptedUsage {
  const messages = (request.body as ChatBody | undefined)?.messages ?? [];
  const promptText = messages.map((message) => String(message.content)).join('\n');
  return {
    promptTokens: approximateTokenCount(promptText),
    completionTokens: approximateTokenCount(content),
  };
}

function usageBody(usage: ScriptedUsage): unknown {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
  };
}

function chatCompletionBody(
  request: RecordedRequest,
  content: string,
  usage: ScriptedUsage,
  finishReason: string,
): unknown {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: (request.body as ChatBody | undefined)?.model ?? 'unknown',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
    usage: usageBody(usage),
  };
}

/** Splits content into word-sized deltas, the way real streams arrive in several small pieces. */
function contentChunks(content: string): string[] {
  return content.match(/\S*\s*/g)?.filter((piece) => piece !== '') ?? [];
}

function streamChat(
  request: RecordedRequest,
  response: ServerResponse,
  answer: {
    content: string;
    usage: ScriptedUsage;
    finishReason: string;
    stallAfterChunks?: number | undefined;
  },
): void {
  const body = request.body as ChatBody & { stream_options?: { include_usage?: boolean } };
  const base = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'unknown',
  };
  const write = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  const choice = (delta: unknown, finishReason: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  write(choice({ role: 'assistant', content: '' }, null));
  const chunks = contentChunks(answer.content);
  for (const [index, text] of chunks.entries()) {
    if (answer.stallAfterChunks !== undefined && index >= answer.stallAfterChunks) return;
    write(choice({ content: text }, null));
  }
  if (answer.stallAfterChunks !== undefined && chunks.length <= answer.stallAfterChunks) return;
  write(choice({}, answer.finishReason));
  if (body.stream_options?.include_usage === true)
    write({ ...base, choices: [], usage: usageBody(answer.usage) });
  response.end('data: [DONE]\n\n');
}
