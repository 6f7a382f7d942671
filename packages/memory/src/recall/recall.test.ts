import { createTokenizer } from '@neptune/core/tokenizer';
import { describe, expect, it } from 'vitest';
import { createMemory } from '../create-memory';
import type { MemoryFact } from '../session/session-memory';
import { fitRecallToBudget } from './fit-recall-to-budget';
import { FACTS_HEADING, SUMMARY_HEADING } from './recall-result';

const ana = { workspaceId: 'acme', userId: 'ana' };
const DAY_MS = 86_400_000;

describe('recall', () => {
  it('returns window, summary and facts within the budget, latest message first to be kept', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out', summarizeEveryTurns: 2 });
    await memory.remember(ana, 'c1', {
      user: 'Our budget is $40k and the launch date is September 15.',
      assistant: 'Noted.',
    });
    for (let index = 1; index <= 6; index++) {
      await memory.remember(ana, 'c1', {
        user: `Please draft paragraph ${index} of the brief.`,
        assistant: `Here is paragraph ${index}.`,
      });
    }
    await memory.remember(ana, 'c1', [{ role: 'user', content: 'What is the budget again?' }]);
    const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
    for (const maxTokens of [30, 60, 120, 400, 4_000]) {
      const recalled = await memory.recall(ana, 'c1', { maxTokens });
      const rendered = recalled.toChatMessages();
      const counted = rendered.reduce((sum, message) => sum + tokenizer.count(message.content) + 4, 0);
      expect(recalled.tokens.total, `budget ${maxTokens}`).toBeLessThanOrEqual(maxTokens);
      expect(counted, `rendered at budget ${maxTokens}`).toBeLessThanOrEqual(maxTokens);
      expect(recalled.messages.at(-1)?.content).toBe('What is the budget again?');
    }
    const roomy = await memory.recall(ana, 'c1', { maxTokens: 4_000 });
    expect(roomy.facts.map((fact) => fact.subject)).toEqual(['launch date', 'budget']);
    expect(roomy.summary).toContain('$40k');
    expect(roomy.omitted).toEqual({ messages: 0, facts: 0 });
    const sequences = roomy.messages.map((message) => message.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const [system, ...window] = roomy.toChatMessages();
    expect(system!.role).toBe('system');
    expect(system!.content).toContain(SUMMARY_HEADING);
    expect(system!.content).toContain(
      `${FACTS_HEADING}\n- the launch date is September 15\n- Our budget is $40k`,
    );
    expect(window).toHaveLength(roomy.messages.length);
    const tight = await memory.recall(ana, 'c1', { maxTokens: 60 });
    expect(tight.omitted.messages).toBeGreaterThan(0);
    expect(tight.facts.length).toBeGreaterThan(0);
  });

  it('is empty for a conversation it does not know, and only the window for another user', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    await memory.remember(ana, 'c1', { user: 'Our budget is $40k.' });
    const unknown = await memory.recall(ana, 'nope', { maxTokens: 100 });
    expect(unknown).toMatchObject({ messages: [], facts: [], summary: undefined, tokens: { total: 0 } });
    expect(unknown.toChatMessages()).toEqual([]);
    const other = await memory.recall({ workspaceId: 'acme', userId: 'bob' }, 'c1', { maxTokens: 100 });
    expect(other.messages).toEqual([]);
    expect(other.facts).toEqual([]);
  });

  it('drops facts and a summary that outlived the message retention period', async () => {
    const memory = createMemory({
      consentDefaults: 'opt-out',
      summarizeEveryTurns: 1,
      retention: { messagesMaxAgeMs: 30 * DAY_MS },
    });
    const longAgo = new Date(Date.now() - 40 * DAY_MS);
    await memory.remember(ana, 'c1', [
      { role: 'user', content: 'Our budget is $40k.', createdAt: longAgo },
      { role: 'assistant', content: 'Noted.', createdAt: longAgo },
    ]);
    await memory.remember(ana, 'c1', { user: 'The deadline is March 3.', assistant: 'Noted.' });
    const session = await memory.getSessionMemory(ana, 'c1');
    // The budget came from a message past retention, and so did the summary that folded it.
    expect(session!.facts.map((fact) => fact.subject)).toEqual(['deadline']);
    expect(session!.summary).toBe('');
    const recalled = await memory.recall(ana, 'c1', { maxTokens: 1_000 });
    expect(JSON.stringify(recalled.toChatMessages())).not.toContain('$40k');
  });
});

describe('fitRecallToBudget', () => {
  const fact = (index: number): MemoryFact => ({
    id: `f${index}`,
    text: `fact number ${index} is worth remembering`,
    subject: `s${index}`,
    confidence: 0.8,
    sourceMessageIds: [],
    validFrom: new Date(0),
  });
  const message = (sequence: number, content: string) => ({
    id: `m${sequence}`,
    conversationId: 'c1',
    role: 'user' as const,
    content,
    sequence,
    createdAt: new Date(sequence),
  });

  it('keeps facts to their share until the window is filled, then gives them what is left', async () => {
    const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
    const window = [message(3, 'latest question'), message(2, 'older '.repeat(80)), message(1, 'oldest')];
    const facts = Array.from({ length: 10 }, (_, index) => fact(index));
    const fitted = fitRecallToBudget({
      tokenizer,
      maxTokens: 100,
      window,
      summary: '',
      facts,
      shares: { facts: 0.3, summary: 0.25 },
    });
    expect(fitted.tokens.total).toBeLessThanOrEqual(100);
    expect(fitted.messages.map((item) => item.sequence)).toEqual([3]);
    // The 40-word message did not fit, so the rest of the budget went to facts beyond their share.
    expect(fitted.tokens.facts).toBeGreaterThan(30);
    const none = fitRecallToBudget({
      tokenizer,
      maxTokens: 2,
      window,
      summary: 'long summary '.repeat(10),
      facts,
      shares: { facts: 0.3, summary: 0.25 },
    });
    expect(none).toMatchObject({ messages: [], facts: [], summary: undefined });
    expect(none.tokens.total).toBeLessThanOrEqual(2);
  });
});
