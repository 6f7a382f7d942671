import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does with traffic:
 * - `pass`: forwards both ways.
 * - `black-hole`: accepts connections and never answers. A connection that was black-holed stays dead
 *   for good, as a socket behind a broken route does: after `pass` is restored only new connections work.
 * - `drop-replies`: forwards what the client sends and throws away what the server answers (a reply lost
 *   after the server acted on the command). Also permanent for the connections it touched.
 * - `refuse`: closes existing connections and the listening port, so that connecting fails at once.
 */
export type TcpFaultMode = 'pass' | 'black-hole' | 'drop-replies' | 'refuse';

/** What `startTcpFaultProxy` returns: a local TCP proxy to the target, whose fault mode a test switches. */
export interface TcpFaultProxy {
  readonly host: string;
  readonly port: number;
  readonly mode: TcpFaultMode;
  /** Switches the mode; resolves once the listening port is open again (or closed, for `refuse`). */
  setMode(mode: TcpFaultMode): Promise<void>;
  /** Connections accepted so far: a client that recycles its connection makes this grow. */
  readonly connectionsAccepted: number;
  close(): Promise<void>;
}

interface ProxiedConnection {
  readonly client: Socket;
  upstream: Socket | undefined;
  fault: 'black-hole' | 'drop-replies' | undefined;
}

/**
 * A TCP proxy in front of a real service (Redis, Postgres) whose faults a test switches on and off: the
 * wire-level failures that a refused connection cannot show, such as a server that stops answering.
 */
export async function startTcpFaultProxy(target: { host: string; port: number }): Promise<TcpFaultProxy> {
  const connections = new Set<ProxiedConnection>();
  let mode: TcpFaultMode = 'pass';
  let accepted = 0;
  let server: Server | undefined;
  let port = 0;

  const onConnection = (client: Socket) => {
    accepted++;
    const connection: ProxiedConnection = { client, upstream: undefined, fault: undefined };
    connections.add(connection);
    client.on('error', () => {});
    client.on('close', () => {
      connection.upstream?.destroy();
      connections.delete(connection);
    });
    if (mode === 'black-hole') {
      connection.fault = 'black-hole';
      client.resume(); // read and discard, never answer
      return;
    }
    if (mode === 'drop-replies') connection.fault = 'drop-replies';
    const upstream = connectUpstream(connection, target);
    connection.upstream = upstream;
    client.on('data', (chunk) => {
      if (connection.fault !== 'black-hole') upstream.write(chunk);
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(onConnection);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as { port: number }).port;
        server = next;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (current === undefined) resolve();
      else current.close(() => resolve());
    });

  await listen();

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    get mode() {
      return mode;
    },
    get connectionsAccepted() {
      return accepted;
    },
    async setMode(next) {
      mode = next;
      if (next === 'black-hole' || next === 'drop-replies') {
        for (const connection of connections) connection.fault ??= next;
      }
      if (next === 'refuse') {
        for (const connection of connections) connection.client.destroy();
        await stopListening();
      } else if (server === undefined) {
        await listen();
      }
    },
    async close() {
      for (const connection of connections) connection.client.destroy();
      await stopListening();
    },
  };
}

function connectUpstream(connection: ProxiedConnection, target: { host: string; port: number }): Socket {
  const upstream = connect(target.port, target.host);
  upstream.on('error', () => connection.client.destroy());
  upstream.on('close', () => connection.client.destroy());
  upstream.on('data', (chunk) => {
    if (connection.fault === undefined) connection.client.write(chunk);
  });
  return upstream;
}
