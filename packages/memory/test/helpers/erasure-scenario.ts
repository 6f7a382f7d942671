import type { KeyValueStore, Scope } from '@neptune/core';
import { expect } from 'vitest';
import type { ActionHistoryStore } from '../../src/actions/action-history-store';
import type { ConsentStore } from '../../src/consent/consent-store';
import type { Memory } from '../../src/create-memory';

/** A stand-in for a vector store registered through `onErase`: records by scope, cleared like `VectorStore.clear`. */
export function scopedRecordStore() {
  const records = new Map<string, { workspaceId: string; userId: string | undefined; text: string }[]>();
  const keyOf = (scope: Scope) => `${scope.workspaceId}/${scope.userId ?? ''}`;
  return {
    add(scope: Scope, text: string) {
      records.set(keyOf(scope), [
        ...(records.get(keyOf(scope)) ?? []),
        { workspaceId: scope.workspaceId, userId: scope.userId, text },
      ]);
    },
    all: () => [...records.values()].flat(),
    async clear(scope: Scope): Promise<number> {
      let removed = 0;
      for (const [key, list] of [...records]) {
        const covered =
          scope.userId === undefined ? key.startsWith(`${scope.workspaceId}/`) : key === keyOf(scope);
        if (covered) {
          removed += list.length;
          records.delete(key);
        }
      }
      return removed;
    },
  };
}

export const ana: Scope = { workspaceId: 'acme', userId: 'ana' };
export const bob: Scope = { workspaceId: 'acme', userId: 'bob' };
export const globexAna: Scope = { workspaceId: 'globex', userId: 'ana' };
const everyone = [ana, bob, globexAna];

/** What each party writes everywhere; the marker makes any leftover easy to spot in a dump. */
const marker = (scope: Scope) => `${scope.workspaceId}-${scope.userId}-secret`;

/**
 * Writes data for three parties (ana and bob in acme, ana in globex) into every store memory touches:
 * conversations and messages, session memory, consent, action history and feedback, an app cache entry
 * in the same key-value store, cached workspace insights, and a hooked vector store.
 */
export async function seedEveryStore(
  memory: Memory,
  keyValue: KeyValueStore,
  vectors: ReturnType<typeof scopedRecordStore>,
) {
  for (const scope of everyone) {
    await memory.remember(scope, 'deal-review', {
      user: `Our budget is $40k. My email is ${marker(scope)}@example.com and Sarah Chen approves.`,
      assistant: 'Noted.',
    });
    await memory.remember(scope, 'second', { user: `The deadline is March 3 for ${marker(scope)}.` });
    await memory.setConsent(scope, { extraction: true, learning: true });
    await memory.recordAction(scope, [
      { type: 'deal.update', occurredAt: new Date(Date.now() - 3_600_000) },
      { type: 'email.send', occurredAt: new Date(Date.now() - 3_000_000) },
    ]);
    await memory.recordFeedback(scope, { kind: 'pattern', key: 'deal.update → email.send', accepted: true });
    await keyValue.set(scope, 'app-cache:crm', marker(scope));
    vectors.add(scope, marker(scope));
  }
  await memory.workspaceInsights({ workspaceId: 'acme' });
  await memory.workspaceInsights({ workspaceId: 'globex' });
}

async function keysOf(keyValue: KeyValueStore, scope: Scope): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of keyValue.list(scope)) keys.push(key);
  return keys.sort();
}

export interface ScenarioStores {
  readonly memory: Memory;
  readonly actions: ActionHistoryStore;
  readonly consent: ConsentStore;
  readonly keyValue: KeyValueStore;
  readonly vectors: ReturnType<typeof scopedRecordStore>;
}

/** Everything readable for a user scope, through the public API of every store. */
export async function readEverything(stores: ScenarioStores, scope: Scope) {
  const { memory } = stores;
  const messages = [
    ...(await memory.conversations.listMessages(scope, 'deal-review')).items,
    ...(await memory.conversations.listMessages(scope, 'second')).items,
  ];
  const sessions = [
    await memory.getSessionMemory(scope, 'deal-review'),
    await memory.getSessionMemory(scope, 'second'),
  ];
  return {
    conversations: (await memory.conversations.listConversations(scope)).items.length,
    messages: messages.length,
    sessionMemories: sessions.filter((session) => session !== undefined).length,
    consentRecord: (await stores.consent.get(scope)) !== undefined,
    actions: (await stores.actions.list(scope)).length,
    feedback: (await stores.actions.listFeedback(scope)).length,
    keyValueKeys: await keysOf(stores.keyValue, scope),
    vectors: stores.vectors
      .all()
      .filter((record) => record.workspaceId === scope.workspaceId && record.userId === scope.userId).length,
  };
}

export function expectNothingOf(found: Awaited<ReturnType<typeof readEverything>>): void {
  expect(found).toEqual({
    conversations: 0,
    messages: 0,
    sessionMemories: 0,
    consentRecord: false,
    actions: 0,
    feedback: 0,
    keyValueKeys: [],
    vectors: 0,
  });
}

export function expectIntact(found: Awaited<ReturnType<typeof readEverything>>): void {
  expect(found).toMatchObject({
    conversations: 2,
    messages: 3,
    sessionMemories: 2,
    consentRecord: true,
    actions: 2,
    feedback: 1,
    vectors: 1,
  });
  expect(found.keyValueKeys).toContain('app-cache:crm');
  expect(found.keyValueKeys).toContain('session:deal-review');
}
