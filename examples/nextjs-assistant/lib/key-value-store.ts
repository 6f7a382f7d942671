import 'server-only';
import type { RedisKeyValueStore } from '@neptune/cache/redis';

/** Memory by default (undefined); Redis when REDIS_URL is set (ioredis is loaded only then). */
export async function keyValueStore(): Promise<RedisKeyValueStore | undefined> {
  if (!process.env.REDIS_URL) return undefined;
  const { redisKeyValueStore } = await import('@neptune/cache/redis');
  const store = redisKeyValueStore({ url: process.env.REDIS_URL, prefix: 'neptune:nextjs-assistant:' });
  // Connect at start-up rather than inside the first request's store calls (the cache gives each 250 ms).
  // If Redis is down the app still answers (the cache serves without its store), so this only warns.
  await store.ping().catch((error: unknown) => console.warn('Redis is not answering at REDIS_URL', error));
  return store;
}
