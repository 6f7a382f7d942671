import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WebHandler = (request: Request) => Promise<Response>;

function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return new Request(new URL(incoming.url ?? '/', origin), { method: incoming.method ?? 'GET', headers });
}

/**
 * Serves web-standard handlers on 127.0.0.1 with a free port, path by path, the way a framework's
 * router would: the smallest adapter that lets a real browser load them.
 */
export async function serveHandlers(routes: Readonly<Record<string, WebHandler>>) {
  const server = createServer(async (incoming, outgoing) => {
    const origin = `http://${incoming.headers.host ?? '127.0.0.1'}`;
    const request = toRequest(incoming, origin);
    const handler = routes[new URL(request.url).pathname];
    const response =
      handler === undefined ? new Response('not found', { status: 404 }) : await handler(request);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
