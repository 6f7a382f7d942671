import { memoryKeyValueStore } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { lockContention } from '../../test/helpers/lock-contention';
import { createConversationLock } from './conversation-lock';

describe('conversation lock', () => {
  it('makes a second process wait until the first released the conversation', async () => {
    expect(await lockContention(memoryKeyValueStore())).toEqual([
      'first start',
      'first end',
      'second start',
      'second end',
    ]);
  });

  it('serialises updates within one process, and releases after a failure', async () => {
    const withLock = createConversationLock({
      keyValue: memoryKeyValueStore(),
      waitMs: 1_000,
      ttlMs: 30_000,
    });
    const scope = { workspaceId: 'acme', userId: 'ana' };
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = withLock(scope, 'c1', async () => {
      events.push('first start');
      await held;
      throw new Error('boom');
    });
    const second = withLock(scope, 'c1', async () => {
      events.push('second');
    });
    // Another conversation is not held up.
    await withLock(scope, 'c2', async () => {
      events.push('other conversation');
    });
    release();
    await expect(first).rejects.toThrow('boom');
    await second;
    expect(events).toEqual(['first start', 'other conversation', 'second']);
  });
});
