import { createTelemetryChannel, memoryKeyValueStore, type NeptuneEvent } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { memoryActionHistoryStore } from '../actions/memory-action-history-store';
import { createMemory } from '../create-memory';
import { expectRejection } from '../testing/expect-rejection';

const ana = { workspaceId: 'acme', userId: 'ana' };
const HOUR = 3_600_000;

/** The same three-step workflow on `days` different days, recently. */
function workflow(steps: string[], days: number, startDaysAgo = 20) {
  const start = Date.now() - startDaysAgo * 24 * HOUR;
  return Array.from({ length: days }, (_, day) =>
    steps.map((type, step) => ({ type, occurredAt: new Date(start + day * 24 * HOUR + step * 60_000) })),
  ).flat();
}

describe('learning', () => {
  it('reports suggestions shown and answered as events, for the acceptance rate, with no action text', async () => {
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const memory = createMemory({ consentDefaults: 'opt-out', telemetry });
    await memory.recordAction(ana, workflow(['deal.update', 'email.send', 'task.create'], 4));
    const [suggestion] = await memory.suggestAutomations(ana);
    await memory.recordFeedback(ana, { kind: 'pattern', key: suggestion!.key, accepted: true });
    await memory.recordFeedback(ana, { kind: 'timing', key: 'email.send', hourOfWeek: 9, accepted: false });
    const learning = events.filter((event) => event.type.startsWith('suggestion-'));
    expect(learning).toMatchObject([
      { type: 'suggestion-shown', kind: 'pattern', count: 1, scope: ana },
      { type: 'suggestion-feedback', kind: 'pattern', accepted: true, scope: ana },
      { type: 'suggestion-feedback', kind: 'timing', accepted: false, scope: ana },
    ]);
    expect(JSON.stringify(learning)).not.toContain('deal.update');
  });

  it('suggests automations for repeated workflows and learns from accepted and rejected ones', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    await memory.recordAction(ana, [
      ...workflow(['deal.update', 'email.send', 'task.create'], 4),
      ...workflow(['invoice.create', 'invoice.send'], 3, 10),
    ]);
    const first = await memory.suggestAutomations(ana);
    expect(first.map((suggestion) => suggestion.key)).toEqual([
      'deal.update → email.send → task.create',
      'invoice.create → invoice.send',
    ]);
    expect(first[0]).toMatchObject({ trigger: ['deal.update', 'email.send'], nextStep: 'task.create' });
    expect(first[0]!.description).toMatch(
      /After deal\.update then email\.send, you did task\.create next 100% of the time \(4 times\)/,
    );

    await memory.recordFeedback(ana, {
      kind: 'pattern',
      key: 'invoice.create → invoice.send',
      accepted: true,
    });
    await memory.recordFeedback(ana, {
      kind: 'pattern',
      key: 'invoice.create → invoice.send',
      accepted: true,
    });
    await memory.recordFeedback(ana, {
      kind: 'pattern',
      key: 'deal.update → email.send → task.create',
      accepted: false,
    });
    const second = await memory.suggestAutomations(ana);
    expect(second.map((suggestion) => suggestion.key)).toEqual([
      'invoice.create → invoice.send',
      'deal.update → email.send → task.create',
    ]);
    await memory.recordFeedback(ana, {
      kind: 'pattern',
      key: 'deal.update → email.send → task.create',
      accepted: false,
    });
    expect((await memory.suggestAutomations(ana)).map((suggestion) => suggestion.key)).toEqual([
      'invoice.create → invoice.send',
    ]);
  });

  it('redacts emails, phone numbers and names in action types before storing them', async () => {
    const actions = memoryActionHistoryStore();
    const memory = createMemory({ consentDefaults: 'opt-out', actions });
    await memory.recordAction(ana, [
      { type: 'email.send to john.smith@acme.com' },
      { type: 'call +1 415 555 0132' },
      { type: 'meeting with Maria Lopez' },
    ]);
    expect((await actions.list(ana)).map((action) => action.type).sort()).toEqual([
      'call [phone]',
      'email.send to [email]',
      'meeting with [name]',
    ]);
  });

  it('suggests a follow-up time once it has enough observations, and learns from the answer', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    const after = new Date();
    expect(await memory.suggestFollowUpTime(ana, 'follow-up', { after })).toBeUndefined();
    // Five weekly follow-ups at 09:00 UTC, one week apart, ending yesterday.
    const yesterdayNine = new Date(after);
    yesterdayNine.setUTCDate(yesterdayNine.getUTCDate() - 1);
    yesterdayNine.setUTCHours(9, 0, 0, 0);
    await memory.recordAction(
      ana,
      Array.from({ length: 5 }, (_, week) => ({
        type: 'follow-up',
        occurredAt: new Date(yesterdayNine.getTime() - week * 7 * 24 * HOUR),
      })),
    );
    const suggestion = await memory.suggestFollowUpTime(ana, 'follow-up', { after });
    expect(suggestion).toBeDefined();
    expect(suggestion!.at.getUTCHours()).toBe(9);
    expect(suggestion!.at.getUTCDay()).toBe(yesterdayNine.getUTCDay());
    expect(suggestion!.observations).toBe(5);
    for (let index = 0; index < 4; index++) {
      await memory.recordFeedback(ana, {
        kind: 'timing',
        key: 'follow-up',
        accepted: false,
        hourOfWeek: suggestion!.hourOfWeek,
      });
    }
    const moved = await memory.suggestFollowUpTime(ana, 'follow-up', { after });
    expect(moved === undefined || moved.hourOfWeek !== suggestion!.hourOfWeek).toBe(true);
    await expectRejection(
      () => memory.suggestFollowUpTime(ana, 'follow-up', { timeZone: 'Nowhere/Else' }),
      'invalid-argument',
    );
  });

  it('records nothing for a user who opted out of learning, and forgets what it had', async () => {
    const actions = memoryActionHistoryStore();
    const memory = createMemory({ consentDefaults: 'opt-out', actions });
    await memory.recordAction(ana, workflow(['a', 'b'], 3));
    const change = await memory.setConsent(ana, { learning: false });
    expect(change.purged).toEqual({ sessionMemories: 0, actions: 6, feedback: 0 });
    expect(await memory.recordAction(ana, { type: 'a' })).toEqual({ recorded: 0, skipped: 'opted-out' });
    expect(await actions.list(ana)).toEqual([]);
    expect(await memory.suggestAutomations(ana)).toEqual([]);
  });

  it('learning can default to off, so that it needs an explicit opt-in', async () => {
    const memory = createMemory({ consentDefaults: { extraction: true, learning: false } });
    expect(await memory.getConsent(ana)).toEqual({ extraction: true, learning: false, explicit: false });
    expect((await memory.recordAction(ana, { type: 'a' })).recorded).toBe(0);
    await memory.setConsent(ana, { learning: true });
    expect((await memory.recordAction(ana, { type: 'a' })).recorded).toBe(1);
  });

  it('workspace insights need k distinct users, stay inside the workspace, and name nobody', async () => {
    const keyValue = memoryKeyValueStore();
    const memory = createMemory({ consentDefaults: 'opt-out', keyValue });
    const shared = ['lead.qualify', 'email.send to client@example.com', 'meeting.book'];
    for (const userId of ['u1', 'u2', 'u3'])
      await memory.recordAction({ workspaceId: 'acme', userId }, workflow(shared, 3));
    for (const userId of ['u4', 'u5'])
      await memory.recordAction(
        { workspaceId: 'acme', userId },
        workflow(['report.export', 'report.share'], 3),
      );
    for (const userId of ['g1', 'g2', 'g3', 'g4']) {
      await memory.recordAction(
        { workspaceId: 'globex', userId },
        workflow(['invoice.create', 'invoice.send'], 3),
      );
    }
    const insights = await memory.workspaceInsights({ workspaceId: 'acme' });
    expect(insights.patterns).toEqual([
      {
        key: 'lead.qualify → email.send to [email] → meeting.book',
        sequence: ['lead.qualify', 'email.send to [email]', 'meeting.book'],
        users: 3,
        occurrences: 9,
        meanConfidence: 1,
      },
    ]);
    expect(insights).toMatchObject({ workspaceId: 'acme', usersAnalysed: 5, minUsers: 3 });
    const serialized = JSON.stringify(insights);
    for (const forbidden of ['u1', 'u2', 'u3', 'client@example.com', 'invoice'])
      expect(serialized).not.toContain(forbidden);
    // Cached for the workspace; a user who opts out is taken out of the next computation.
    expect(await keyValue.get({ workspaceId: 'acme' }, 'memory:workspace-insights')).toBeDefined();
    await memory.setConsent({ workspaceId: 'acme', userId: 'u3' }, { learning: false });
    const after = await memory.workspaceInsights({ workspaceId: 'acme' });
    expect(after.patterns).toEqual([]);
    expect(after.usersAnalysed).toBe(4);
    await expectRejection(() => memory.workspaceInsights(ana), 'invalid-argument');
  });
});
