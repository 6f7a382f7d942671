/**
 * For your own tests: a local server that speaks Upstash Redis's REST protocol in front of a real Redis,
 * so `upstashKeyValueStore()` (and the real `@upstash/redis` client) run end to end without an Upstash
 * account. Node.js only; needs `ioredis` installed (the server talks to Redis over TCP).
 *
 * ```ts
 * const server = await startUpstashRestServer({ redisUrl: 'redis://127.0.0.1:6379' });
 * const store = upstashKeyValueStore({ url: server.url, token: server.token });
 * // ... after the tests: await server.close();
 * ```
 */
export { startUpstashRestServer, type UpstashRestServer } from './upstash-rest-server';
