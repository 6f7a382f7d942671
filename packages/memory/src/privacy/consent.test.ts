import { describe, expect, it } from 'vitest';
import { memoryActionHistoryStore } from '../actions/memory-action-history-store';
import { memoryConsentStore } from '../consent/memory-consent-store';
import { createMemory } from '../create-memory';
import { expectRejection } from '../testing/expect-rejection';

const ana = { workspaceId: 'acme', userId: 'ana' };
const DAY_MS = 86_400_000;

describe('consent', () => {
  it('records choices durably, and opting out of extraction deletes session memories', async () => {
    const consent = memoryConsentStore();
    const memory = createMemory({ consentDefaults: 'opt-out', consent });
    expect(await memory.getConsent(ana)).toEqual({ extraction: true, learning: true, explicit: false });
    await memory.remember(ana, 'c1', { user: 'Our budget is $40k.' });
    await memory.remember(ana, 'c2', { user: 'The deadline is May 2.' });
    const change = await memory.setConsent(ana, { extraction: false });
    expect(change).toEqual({
      consent: { extraction: false, learning: true, explicit: true },
      purged: { sessionMemories: 2, actions: 0, feedback: 0 },
    });
    expect(await consent.get(ana)).toMatchObject({ extraction: false, learning: true });
    expect(await memory.getSessionMemory(ana, 'c1')).toBeUndefined();
    // The conversation itself is the user's history, not derived data: it stays.
    expect((await memory.conversations.listMessages(ana, 'c1')).items).toHaveLength(1);
    // Another memory instance (another process) reads the choice from the store.
    const elsewhere = createMemory({ consentDefaults: 'opt-out', consent });
    expect((await elsewhere.remember(ana, 'c1', { user: 'Our budget is $50k.' })).skipped).toBe('opted-out');
    await expectRejection(() => memory.setConsent(ana, {}), 'invalid-argument');
    await expectRejection(
      () => memory.setConsent({ workspaceId: 'acme' }, { learning: false }),
      'invalid-argument',
    );
  });
});

describe('retention', () => {
  it('deletes messages, conversations, actions and feedback older than their periods', async () => {
    const actions = memoryActionHistoryStore();
    const memory = createMemory({
      consentDefaults: 'opt-out',
      actions,
      retention: { messagesMaxAgeMs: 30 * DAY_MS, actionsMaxAgeMs: 10 * DAY_MS },
    });
    const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
    await memory.remember(ana, 'old', [{ role: 'user', content: 'old question', createdAt: daysAgo(40) }]);
    await memory.remember(ana, 'mixed', [
      { role: 'user', content: 'older', createdAt: daysAgo(35) },
      { role: 'user', content: 'recent', createdAt: daysAgo(1) },
    ]);
    await memory.recordAction(ana, [
      { type: 'a', occurredAt: daysAgo(20) },
      { type: 'b', occurredAt: daysAgo(2) },
    ]);
    await memory.recordFeedback(ana, {
      kind: 'pattern',
      key: 'a → b',
      accepted: true,
      createdAt: daysAgo(11),
    });
    const receipt = await memory.enforceRetention({ workspaceId: 'acme' });
    expect(receipt.removed).toEqual({ conversations: 1, messages: 2, actions: 1, feedback: 1 });
    expect(receipt.messagesBefore.getTime()).toBeGreaterThan(daysAgo(31).getTime());
    expect(
      (await memory.conversations.listMessages(ana, 'mixed')).items.map((message) => message.content),
    ).toEqual(['recent']);
    expect((await actions.list(ana)).map((action) => action.type)).toEqual(['b']);
  });
});
