import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestError, UpstashIndexState } from './upstash-index-state';
import type { SimilarityFunction } from './upstash-scoring';

export interface UpstashVectorServerOptions {
  readonly dimension: number;
  /** A hybrid index (dense and sparse parts on every record). Default false: a dense index. */
  readonly hybrid?: boolean | undefined;
  /** Default COSINE. */
  readonly similarityFunction?: SimilarityFunction | undefined;
  /** The bearer token the server accepts. Default: a fixed test token. */
  readonly token?: string | undefined;
}

export interface UpstashVectorServer {
  /** The REST URL to give the client, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly token: string;
  /** Requests received per command (`upsert`, `query`, `list-namespaces`, ...), to assert on the wire. */
  readonly requests: Record<string, number>;
  /** The namespace path of every request, decoded, in order. */
  readonly namespacePaths: string[];
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError(400, 'Invalid JSON in the request body');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * A local stand-in for Upstash Vector that speaks the REST API the real `@upstash/vector` client uses:
 * every command is `POST /<command>[/<namespace>]` with a JSON body and a bearer token; answers are
 * `{ "result": ... }`, failures `{ "error": "...", "status": n }` with that HTTP status. Implemented:
 * upsert, query (dense, sparse with IDF weighting, RRF and DBSF fusion on hybrid indexes), fetch,
 * delete, range, reset, info, list-namespaces and delete-namespace, with metadata filters. Hosted
 * embedding models (`upsert-data`, `query-data`) are not: the index is one created without them.
 */
export async function startUpstashVectorServer(
  options: UpstashVectorServerOptions,
): Promise<UpstashVectorServer> {
  const token = options.token ?? 'neptune-test-token';
  const state = new UpstashIndexState({
    dimension: options.dimension,
    hybrid: options.hybrid ?? false,
    similarityFunction: options.similarityFunction ?? 'COSINE',
  });
  const requests: Record<string, number> = {};
  const namespacePaths: string[] = [];

  const commands: Record<string, (namespace: string, body: unknown, all: boolean) => unknown> = {
    upsert: (namespace, body) => state.upsert(namespace, body),
    query: (namespace, body) => state.query(namespace, body),
    fetch: (namespace, body) => state.fetch(namespace, body),
    delete: (namespace, body) => state.delete(namespace, body),
    range: (namespace, body) => state.range(namespace, body),
    reset: (namespace, _body, all) => state.reset(namespace, all),
    info: () => state.info(),
    'list-namespaces': () => state.listNamespaces(),
    'delete-namespace': (namespace) => state.deleteNamespace(namespace),
  };
  const withoutEmbeddingModel = () => {
    throw new RequestError(
      400,
      'Embedding data for this index is not allowed. The index must be created with an embedding model to use it.',
    );
  };
  commands['upsert-data'] = withoutEmbeddingModel;
  commands['query-data'] = withoutEmbeddingModel;

  const server = createServer(async (request, response) => {
    try {
      if (request.headers.authorization !== `Bearer ${token}`) {
        throw new RequestError(401, 'Unauthorized: Invalid auth token');
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      const [command = '', ...rest] = url.pathname.slice(1).split('/');
      const namespace = decodeURIComponent(rest.join('/'));
      const handler = commands[command];
      if (handler === undefined) throw new RequestError(404, `Unknown endpoint: /${command}`);
      requests[command] = (requests[command] ?? 0) + 1;
      namespacePaths.push(namespace);
      const body = await readJson(request);
      send(response, 200, { result: handler(namespace, body, url.searchParams.has('all')) });
    } catch (error) {
      const status = error instanceof RequestError ? error.status : 500;
      send(response, status, { error: error instanceof Error ? error.message : String(error), status });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    namespacePaths,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
