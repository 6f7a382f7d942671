/**
 * One process of the cross-process stampede test: builds a cache on the real Redis, says `ready`,
 * waits for `go` on stdin, then calls getOrSet on the shared key with a slow loader that counts its
 * calls in Redis. Run with `node --import tsx --conditions=@neptune/source`.
 */
import { once } from 'node:events';
import { sleep } from '@neptune/core';
import { createCache } from '../../src/create-cache';
import { redisKeyValueStore } from '../../src/redis/redis-key-value-store';

const [redisUrl, prefix, counterKey] = process.argv.slice(2);
if (!redisUrl || !prefix || !counterKey)
  throw new Error('usage: stampede-worker <redisUrl> <prefix> <counterKey>');

const store = redisKeyValueStore({ url: redisUrl, prefix });
// A generous store timeout: five processes starting at once load the machine, and a slow answer would
// (rightly, for a real request) bypass the lock.
const cache = createCache({ store, kinds: { report: { ttlMs: 60_000 } }, storeTimeoutMs: 5_000 });
await store.ping();
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const value = await cache.getOrSet({ workspaceId: 'acme' }, 'report', async () => {
  await store.client.incr(counterKey);
  await sleep(400);
  return { builtBy: process.pid };
});
process.stdout.write(`${JSON.stringify({ value, stats: cache.stats().total })}\n`);
await store.close();
