/**
 * For your own tests: a local, in-memory server that speaks Upstash Vector's REST API, so
 * `upstashVectorStore()` and the real `@upstash/vector` client run end to end without an Upstash
 * account. Node.js only.
 *
 * ```ts
 * const server = await startUpstashVectorServer({ dimension: 256 });
 * const store = upstashVectorStore({ index: { url: server.url, token: server.token }, dimensions: 256 });
 * // ... after the tests: await server.close();
 * ```
 */
export {
  startUpstashVectorServer,
  type UpstashVectorServer,
  type UpstashVectorServerOptions,
} from './upstash-vector/upstash-vector-server';
