import { memoryKeyValueStore, NeptuneError } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import {
  ana,
  bob,
  expectIntact,
  expectNothingOf,
  globexAna,
  readEverything,
  type ScenarioStores,
  scopedRecordStore,
  seedEveryStore,
} from '../../test/helpers/erasure-scenario';
import { memoryActionHistoryStore } from '../actions/memory-action-history-store';
import { memoryConsentStore } from '../consent/memory-consent-store';
import { createMemory } from '../create-memory';
import { expectRejection } from '../testing/expect-rejection';
import { WORKSPACE_INSIGHTS_KEY } from '../workspace-insights';
import { ERASURE_NOT_COVERED, erasureDigest } from './erasure-receipt';

function scenario(): ScenarioStores {
  const actions = memoryActionHistoryStore();
  const consent = memoryConsentStore();
  const keyValue = memoryKeyValueStore();
  const vectors = scopedRecordStore();
  const memory = createMemory({ consentDefaults: 'opt-out', actions, consent, keyValue });
  memory.onErase('vectors', (scope) => vectors.clear(scope));
  return { memory, actions, consent, keyValue, vectors };
}

describe('erasure', () => {
  it('eraseUser removes the user from every store and hook, and leaves everyone else intact', async () => {
    const stores = scenario();
    await seedEveryStore(stores.memory, stores.keyValue, stores.vectors);
    expectIntact(await readEverything(stores, ana));
    const receipt = await stores.memory.eraseUser(ana);
    expectNothingOf(await readEverything(stores, ana));
    expectIntact(await readEverything(stores, bob));
    expectIntact(await readEverything(stores, globexAna));
    expect(receipt).toMatchObject({ kind: 'user', workspaceId: 'acme', userId: 'ana' });
    expect(Object.fromEntries(receipt.removed.map((line) => [line.store, line.count]))).toEqual({
      conversations: 2,
      messages: 3,
      'session-memory': 2,
      // The app's cache entry and the cached consent.
      'key-value': 2,
      'action-history': 2,
      'suggestion-feedback': 1,
      consent: 1,
      'workspace-insights-cache': 1,
      vectors: 1,
    });
    expect(receipt.total).toBe(15);
    // The cached aggregate that counted ana is gone; the next one is computed without her.
    expect(await stores.keyValue.get({ workspaceId: 'acme' }, WORKSPACE_INSIGHTS_KEY)).toBeUndefined();
    expect((await stores.memory.workspaceInsights({ workspaceId: 'acme' })).usersAnalysed).toBe(1);
    // Erasing again finds nothing of ana (only the aggregate just recomputed) and succeeds.
    const again = await stores.memory.eraseUser(ana);
    expect(again.removed.filter((line) => line.count > 0).map((line) => line.store)).toEqual([
      'workspace-insights-cache',
    ]);
  });

  // Issue 15 item 7: a receipt that can be checked, says what it does not cover, and says "nothing left".
  it('gives a receipt with a digest per store over the removed ids, what it does not cover, and "nothing left" the second time', async () => {
    const stores = scenario();
    await seedEveryStore(stores.memory, stores.keyValue, stores.vectors);
    const conversations = (await stores.memory.conversations.listConversations(ana)).items.map((c) => c.id);
    const receipt = await stores.memory.eraseUser(ana);
    expect(receipt.status).toBe('erased');
    expect(receipt.notCovered).toEqual(ERASURE_NOT_COVERED);
    expect(receipt.digest).toMatch(/^[0-9a-f]{64}$/);
    const line = receipt.removed.find((entry) => entry.store === 'conversations')!;
    expect(line).toMatchObject({ count: 2, idsCovered: true });
    // An auditor holding the ids recomputes the line's digest; another set of ids does not match.
    expect(line.digest).toBe(await erasureDigest('conversations', 2, [...conversations].reverse()));
    expect(line.digest).not.toBe(await erasureDigest('conversations', 2, ['deal-review', 'other']));
    expect(receipt.removed.find((entry) => entry.store === 'key-value')).toMatchObject({ idsCovered: true });
    expect(receipt.removed.find((entry) => entry.store === 'messages')).toMatchObject({ idsCovered: false });

    const again = await stores.memory.eraseUser(ana);
    expect(again.status).toBe('nothing-left');
    expect(again.total).toBe(0);
    // The same nothing gives the same digest, so two empty receipts of one scope can be compared.
    expect((await stores.memory.eraseUser(ana)).digest).toBe(again.digest);
    expect(again.digest).not.toBe(receipt.digest);
  });

  it('eraseWorkspace removes every user of the workspace and nothing of another workspace', async () => {
    const stores = scenario();
    await seedEveryStore(stores.memory, stores.keyValue, stores.vectors);
    const receipt = await stores.memory.eraseWorkspace({ workspaceId: 'acme' });
    expectNothingOf(await readEverything(stores, ana));
    expectNothingOf(await readEverything(stores, bob));
    expectIntact(await readEverything(stores, globexAna));
    const counts = Object.fromEntries(receipt.removed.map((line) => [line.store, line.count]));
    expect(counts).toMatchObject({
      conversations: 4,
      messages: 6,
      'action-history': 4,
      consent: 2,
      vectors: 2,
    });
    // Session memories, app caches, cached consent and the cached insights, all under the workspace prefix.
    expect(counts['key-value']).toBe(4 + 2 + 2 + 1);
  });

  it('runs every step when one fails, then throws a retryable error with the partial receipt', async () => {
    const stores = scenario();
    await seedEveryStore(stores.memory, stores.keyValue, stores.vectors);
    stores.memory.onErase('broken-index', async () => {
      throw new Error('index offline');
    });
    const error = await expectRejection(() => stores.memory.eraseUser(ana), 'store-unavailable');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/broken-index failed.*Call it again/);
    const receipt = (error.details as { receipt: { removed: { store: string }[] } }).receipt;
    expect(receipt.removed.map((line) => line.store)).toContain('vectors');
    expectNothingOf(await readEverything(stores, ana));
  });

  it('checks hook registrations and lets a hook be removed', async () => {
    const stores = scenario();
    expect(() => stores.memory.onErase('vectors', async () => 0)).toThrow(/already registered/);
    expect(() => stores.memory.onErase('', async () => 0)).toThrow(NeptuneError);
    let calls = 0;
    const remove = stores.memory.onErase('counted', async () => {
      calls++;
      return { removed: 3 };
    });
    const first = await stores.memory.eraseUser(ana);
    expect(first.removed.find((line) => line.store === 'counted')?.count).toBe(3);
    remove();
    await stores.memory.eraseUser(ana);
    expect(calls).toBe(1);
    await expectRejection(() => stores.memory.eraseUser({ workspaceId: 'acme' }), 'invalid-argument');
    await expectRejection(() => stores.memory.eraseWorkspace(ana), 'invalid-argument');
  });
});
