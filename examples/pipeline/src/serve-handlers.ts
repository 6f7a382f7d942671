import { createServer, type Server } from 'node:http';

type Handler = (request: Request) => Promise<Response>;

/**
 * Serves web-standard `(Request) => Promise<Response>` handlers (what `createAdminHandlers` returns, and
 * what a Next.js route exports) from Node's HTTP server, on 127.0.0.1 only.
 */
export async function serveHandlers(
  routes: Readonly<Record<string, Handler>>,
  port: number,
): Promise<Server> {
  const server = createServer(async (incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', `http://127.0.0.1:${port}`);
    const handler = routes[url.pathname];
    if (handler === undefined) {
      outgoing
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`Not found. Routes: ${Object.keys(routes).join(', ')}`);
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers))
      for (const item of [value ?? []].flat()) headers.append(name, item);
    try {
      const response = await handler(new Request(url, { method: incoming.method, headers }));
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}
