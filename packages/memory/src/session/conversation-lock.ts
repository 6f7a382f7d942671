import { type KeyValueStore, NeptuneError, type Scope, scopeKeys, sleep } from '@neptune/core';
import { randomId } from '../record-id';

export interface ConversationLockOptions {
  readonly keyValue: KeyValueStore;
  /** How long to wait for another process's update of the same conversation. */
  readonly waitMs: number;
  /** The lock's TTL, so a crashed process cannot hold it for ever. */
  readonly ttlMs: number;
}

export type WithConversationLock = <T>(
  scope: Scope,
  conversationId: string,
  work: () => Promise<T>,
) => Promise<T>;

/**
 * Serialises updates of one conversation's memory, so that two turns remembered at once never lose each
 * other's facts: a promise chain within the process and, on a shared key-value store (Redis), a
 * `SET NX` lock with a TTL across processes.
 */
export function createConversationLock(options: ConversationLockOptions): WithConversationLock {
  const tails = new Map<string, Promise<void>>();
  const { keyValue } = options;

  async function acquireShared(scope: Scope, lockKey: string): Promise<string> {
    const token = randomId();
    const deadline = Date.now() + options.waitMs;
    for (let delayMs = 20; ; delayMs = Math.min(delayMs * 2, 250)) {
      if (await keyValue.set(scope, lockKey, token, { ttlMs: options.ttlMs, onlyIfAbsent: true }))
        return token;
      if (Date.now() >= deadline) {
        throw new NeptuneError({
          code: 'conflict',
          isRetryable: true,
          message: `Another process kept the memory of this conversation locked for ${options.waitMs} ms. The messages are stored; the next remember() catches up on extraction.`,
        });
      }
      await sleep(delayMs);
    }
  }

  return async (scope, conversationId, work) => {
    const localKey = scopeKeys(scope).key('memory-lock', conversationId);
    const previous = tails.get(localKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    tails.set(localKey, tail);
    await previous;
    try {
      if (!keyValue.capabilities.shared) return await work();
      const lockKey = `lock:session:${conversationId}`;
      const token = await acquireShared(scope, lockKey);
      try {
        return await work();
      } finally {
        // Release only our own lock: after a TTL expiry another process may hold it.
        if ((await keyValue.get(scope, lockKey)) === token) await keyValue.delete(scope, lockKey);
      }
    } finally {
      release();
      if (tails.get(localKey) === tail) tails.delete(localKey);
    }
  };
}
