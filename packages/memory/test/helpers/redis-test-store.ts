import { type RedisKeyValueStore, redisKeyValueStore } from '@neptune/cache/redis';
import { randomTestId } from '@neptune/core/testing';

/** A Redis-backed key-value store under a random prefix, so parallel runs never meet. */
export function startRedisTestStore(url: string): {
  store: RedisKeyValueStore;
  prefix: string;
  keys(pattern?: string): Promise<string[]>;
  drop(): Promise<void>;
} {
  const prefix = `${randomTestId('neptune-memory-test-')}:`;
  const store = redisKeyValueStore({ url, prefix });
  /** Raw keys under the prefix (SCAN, never KEYS), optionally narrowed by a literal sub-prefix. */
  async function keys(subPrefix = ''): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await store.client.scan(
        cursor,
        'MATCH',
        `${(prefix + subPrefix).replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        1000,
      );
      found.push(...page);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }
  return {
    store,
    prefix,
    keys,
    async drop() {
      const all = await keys();
      if (all.length > 0) await store.client.del(...all);
    },
  };
}
