import { randomTestId } from '@neptune/core/testing';
import type { Redis } from 'ioredis';

/** A random key prefix for one test, so parallel runs against the same Redis never meet. */
export function redisTestPrefix(): string {
  return `${randomTestId('neptune-test-')}:`;
}

/** Deletes every key under `prefix` with SCAN (never KEYS), after a test. */
export async function dropPrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(
      cursor,
      'MATCH',
      `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
      'COUNT',
      1000,
    );
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
