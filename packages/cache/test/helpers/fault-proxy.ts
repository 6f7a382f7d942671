import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the real Redis that can break the wire on demand, so fail-safe behaviour is
 * tested against real failures rather than a mocked client:
 * - `forward`: a transparent pipe;
 * - `hang`: connections stay open and accepted, and nothing is ever answered (a stalled server);
 * - `refuse`: every connection is closed at once (a stopped server).
 */
export type FaultMode = 'forward' | 'hang' | 'refuse';

export interface FaultProxy {
  readonly url: string;
  readonly mode: FaultMode;
  setMode(mode: FaultMode): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let mode: FaultMode = 'forward';
  const open = new Map<Socket, Socket | undefined>();

  const server = createServer((client) => {
    client.on('error', () => {});
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    if (mode === 'hang') {
      open.set(client, undefined);
      client.on('data', () => {});
      client.on('close', () => open.delete(client));
      return;
    }
    const upstream = connect(Number(target.port || 6379), target.hostname);
    upstream.on('error', () => client.destroy());
    client.on('close', () => {
      upstream.destroy();
      open.delete(client);
    });
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    open.set(client, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    // Keep the database index of the target URL (`/2`), so the proxied store and the test see the same keys.
    url: `redis://127.0.0.1:${port}${target.pathname}`,
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
      for (const [client, upstream] of open) {
        if (next === 'hang' && upstream !== undefined) {
          // Cut the upstream but keep the client's socket open: its commands go nowhere, forever.
          client.unpipe(upstream);
          upstream.unpipe(client);
          upstream.removeAllListeners('close');
          upstream.destroy();
          open.set(client, undefined);
          client.on('data', () => {});
        } else if (next !== 'hang') {
          // Stalled or forwarded connections are dropped, as a restarting server drops them.
          client.destroy();
        }
      }
    },
    async close() {
      for (const [client, upstream] of open) {
        client.destroy();
        upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A local port on which nothing listens: connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
