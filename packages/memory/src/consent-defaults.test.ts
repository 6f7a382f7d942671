import { ConfigurationError } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { memoryActionHistoryStore } from './actions/memory-action-history-store';
import { createMemory } from './create-memory';
import type { CreateMemoryOptions } from './memory-options';

const ana = { workspaceId: 'acme', userId: 'ana' };
const ONE_HOUR_AGO = () => new Date(Date.now() - 3_600_000);

// Issue 15 item 8: consent has no silent default; the app chooses at createMemory, and with opt-in no
// extraction or learning runs before the user agrees.
describe('consentDefaults: an explicit choice at createMemory', () => {
  it('is required, and the error names the option and the choices', () => {
    const error = (() => {
      try {
        createMemory({} as CreateMemoryOptions);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/consentDefaults/);
    expect((error as Error).message).toMatch(/'opt-in'.*'opt-out'/);
    expect(() => createMemory({ consentDefaults: 'granted' as never })).toThrow(/consentDefaults/);
    expect(() => createMemory({ consentDefaults: { learning: false } as never })).toThrow(/consentDefaults/);
  });

  it("'opt-in': nothing is extracted or learned until the user agrees; then both run", async () => {
    const actions = memoryActionHistoryStore();
    const memory = createMemory({ consentDefaults: 'opt-in', actions });
    expect(await memory.getConsent(ana)).toEqual({ extraction: false, learning: false, explicit: false });
    const remembered = await memory.remember(ana, 'c1', { user: 'Our budget is $40k, Sarah Chen approves.' });
    expect(remembered.skipped).toBe('opted-out');
    expect(await memory.getSessionMemory(ana, 'c1')).toBeUndefined();
    expect(
      (await memory.recordAction(ana, { type: 'deal.update', occurredAt: ONE_HOUR_AGO() })).recorded,
    ).toBe(0);
    expect(await actions.list(ana)).toEqual([]);
    // The conversation itself is kept: it is the user's chat history.
    expect((await memory.conversations.listMessages(ana, 'c1')).items).toHaveLength(1);

    await memory.setConsent(ana, { extraction: true, learning: true });
    await memory.remember(ana, 'c1', { user: 'The deadline is March 3.' });
    expect(await memory.getSessionMemory(ana, 'c1')).toBeDefined();
    expect(
      (await memory.recordAction(ana, { type: 'deal.update', occurredAt: ONE_HOUR_AGO() })).recorded,
    ).toBe(1);
  });

  it("'opt-out' and an explicit object keep working as before", async () => {
    expect(await createMemory({ consentDefaults: 'opt-out' }).getConsent(ana)).toEqual({
      extraction: true,
      learning: true,
      explicit: false,
    });
    expect(
      await createMemory({ consentDefaults: { extraction: true, learning: false } }).getConsent(ana),
    ).toEqual({ extraction: true, learning: false, explicit: false });
  });
});
