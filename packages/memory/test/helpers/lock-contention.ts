import type { KeyValueStore } from '@neptune/core';
import { createConversationLock } from '../../src/session/conversation-lock';

/**
 * Two lock instances (two processes) sharing one key-value store. The first holds the lock until the
 * second has tried to take it and been refused, so the order of events shows whether the second waited,
 * with no timing involved. Returns that order.
 */
export async function lockContention(keyValue: KeyValueStore): Promise<string[]> {
  let refused!: () => void;
  const secondRefused = new Promise<void>((resolve) => {
    refused = resolve;
  });
  let secondStarted!: () => void;
  const secondRan = new Promise<void>((resolve) => {
    secondStarted = resolve;
  });
  const spy: KeyValueStore = {
    ...keyValue,
    capabilities: { ...keyValue.capabilities, shared: true },
    async set(scope, key, value, options) {
      const written = await keyValue.set(scope, key, value, options);
      if (options?.onlyIfAbsent && !written) refused();
      return written;
    },
    get: (scope, key) => keyValue.get(scope, key),
    delete: (scope, key) => keyValue.delete(scope, key),
  };
  const options = { keyValue: spy, waitMs: 10_000, ttlMs: 30_000 };
  const first = createConversationLock(options);
  const second = createConversationLock(options);
  const scope = { workspaceId: 'acme', userId: 'ana' };
  const events: string[] = [];
  const a = first(scope, 'c1', async () => {
    events.push('first start');
    // Hold the lock until the second process was refused it (or, without a lock, got in anyway).
    await Promise.race([secondRefused, secondRan]);
    events.push('first end');
  });
  const b = second(scope, 'c1', async () => {
    secondStarted();
    events.push('second start');
    events.push('second end');
  });
  await Promise.all([a, b]);
  return events;
}
