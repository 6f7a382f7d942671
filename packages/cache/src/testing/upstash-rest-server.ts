import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

/**
 * A local server that speaks Upstash Redis's REST protocol in front of a real Redis, so the real
 * `@upstash/redis` client is exercised end to end: bearer token, `POST /` with one command as a JSON
 * array, `POST /pipeline` and `POST /multi-exec` with arrays of commands, `{ result }` / `{ error }`
 * bodies, and base64-encoded strings when the client sends `Upstash-Encoding: base64` (its default).
 */
export interface UpstashRestServer {
  readonly url: string;
  readonly token: string;
  /** Requests served, by path, to check what the client really sent. */
  readonly requests: Record<string, number>;
  close(): Promise<void>;
}

type Command = Array<string | number | boolean>;
type Reply = { result: unknown } | { error: string };

function encodeStrings(value: unknown): unknown {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (Array.isArray(value)) return value.map(encodeStrings);
  return value;
}

function isCommand(value: unknown): value is Command {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    typeof value[0] === 'string' &&
    value.every((part) => ['string', 'number', 'boolean'].includes(typeof part))
  );
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function toReply([error, result]: [Error | null, unknown]): Reply {
  return error ? { error: error.message } : { result };
}

export async function startUpstashRestServer(options: {
  redisUrl: string;
  token?: string;
}): Promise<UpstashRestServer> {
  const redis = new Redis(options.redisUrl);
  const token = options.token ?? randomBytes(16).toString('hex');
  const requests: Record<string, number> = {};

  async function run(path: string, body: unknown): Promise<{ status: number; payload: Reply | Reply[] }> {
    if (path === '/') {
      if (!isCommand(body)) return { status: 400, payload: { error: 'ERR body must be a command array' } };
      const [name, ...args] = body;
      try {
        return { status: 200, payload: { result: await redis.call(String(name), ...args.map(String)) } };
      } catch (error) {
        return { status: 400, payload: { error: (error as Error).message } };
      }
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || !body.every(isCommand)) {
        return { status: 400, payload: { error: 'ERR body must be an array of command arrays' } };
      }
      const batch = path === '/pipeline' ? redis.pipeline() : redis.multi();
      for (const [name, ...args] of body) batch.call(String(name), ...args.map(String));
      try {
        const results = (await batch.exec()) ?? [];
        return { status: 200, payload: results.map(toReply) };
      } catch (error) {
        return { status: 400, payload: { error: (error as Error).message } };
      }
    }
    return { status: 404, payload: { error: `ERR unknown path ${path}` } };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests[path] = (requests[path] ?? 0) + 1;
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });
    if (request.method !== 'POST') return send(405, { error: 'ERR only POST is supported' });
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      return send(400, { error: 'ERR body is not JSON' });
    }
    const { status, payload } = await run(path, body);
    const base64 = String(request.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const encode = (reply: Reply): Reply =>
      'result' in reply && base64 ? { result: encodeStrings(reply.result) } : reply;
    send(status, Array.isArray(payload) ? payload.map(encode) : encode(payload));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await redis.quit();
    },
  };
}
