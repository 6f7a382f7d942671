import { describe, expect, it } from 'vitest';
import { heldOutConversations } from '../test/fixtures/held-out-conversations';
import type { LabelledConversation } from '../test/fixtures/labelled-conversation';
import { fillerTurns, labelledConversations } from '../test/fixtures/labelled-conversations';
import {
  add,
  emptyTally,
  f1,
  precision,
  recall as recallOf,
  scoreEntities,
  scoreFacts,
  scoreSupersession,
  type Tally,
} from '../test/fixtures/score-extraction';
import { createMemory, type Memory } from './create-memory';
import { currentFacts } from './session/session-memory';

/**
 * Quality of the offline defaults on labelled conversations written for these tests: precision and
 * recall of entities and facts, supersession of replaced values, and whether recall() still holds what a
 * late follow-up question needs. The development set (18 conversations) was used to tune the heuristics;
 * the held-out set (8) was written afterwards and never tuned on, so its figures are the honest estimate.
 * The floors are the measured figures, rounded down. Print them with:
 *   npx vitest run packages/memory/src/memory-quality.test.ts
 */
const scope = { workspaceId: 'quality', userId: 'analyst' };
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
type Message = { readonly role: 'user' | 'assistant' | 'system'; readonly content: string };

async function replay(memory: Memory, conversationId: string, messages: readonly Message[]) {
  for (let index = 0; index < messages.length; index += 2) {
    await memory.remember(scope, conversationId, messages.slice(index, index + 2));
  }
}

async function scoreExtraction(conversations: readonly LabelledConversation[]) {
  const memory = createMemory({ consentDefaults: 'opt-out' });
  const entities = emptyTally();
  const facts = emptyTally();
  const supersession = emptyTally();
  for (const conversation of conversations) {
    await replay(memory, conversation.id, conversation.messages);
    const session = await memory.getSessionMemory(scope, conversation.id);
    add(entities, scoreEntities(session!.entities, conversation.entities));
    add(facts, scoreFacts(currentFacts(session!), conversation.facts));
    add(supersession, scoreSupersession(session!.facts, conversation.superseded));
  }
  await memory.close();
  return { entities, facts, supersession };
}

/** Replays each conversation, then 25 unrelated turns, then asks its follow-up question. */
async function scoreFollowUps(conversations: readonly LabelledConversation[], maxTokens: number) {
  const memory = createMemory({ consentDefaults: 'opt-out' });
  let kept = 0;
  let keptByWindow = 0;
  let overBudget = 0;
  const filler = fillerTurns.flatMap(([question, answer]): Message[] => [
    { role: 'user', content: question },
    { role: 'assistant', content: answer },
  ]);
  for (const conversation of conversations) {
    const id = `${conversation.id}-long`;
    await replay(memory, id, conversation.messages);
    await replay(memory, id, filler);
    await memory.remember(scope, id, [{ role: 'user', content: conversation.followUp.question }]);
    const recalled = await memory.recall(scope, id, { maxTokens });
    if (recalled.tokens.total > maxTokens) overBudget++;
    const text = recalled
      .toChatMessages()
      .map((message) => message.content)
      .join('\n');
    const window = (await memory.conversations.listMessages(scope, id)).items
      .map((message) => message.content)
      .join('\n');
    const has = (haystack: string) =>
      conversation.followUp.needs.every((needle) => haystack.includes(needle));
    if (has(text)) kept++;
    if (has(window)) keptByWindow++;
  }
  await memory.close();
  return { kept, keptByWindow, overBudget, total: conversations.length };
}

const line = (name: string, tally: Tally) =>
  `  ${name.padEnd(9)} precision ${percent(precision(tally))}  recall ${percent(recallOf(tally))}  F1 ${percent(f1(tally))}  (${tally.truePositives}/${tally.extracted} extracted right, ${tally.found}/${tally.labelled} labels found)`;

describe('memory quality on the labelled fixtures', () => {
  it('offline extraction: entity and fact precision/recall, and supersession', async () => {
    const development = await scoreExtraction(labelledConversations);
    const heldOut = await scoreExtraction(heldOutConversations);
    const report = (name: string, count: number, scores: typeof development) => [
      `${name} (${count} conversations):`,
      line('entities', scores.entities),
      line('facts', scores.facts),
      `  supersession: ${scores.supersession.found}/${scores.supersession.labelled} replaced values no longer current`,
    ];
    console.log(
      [
        'Offline extractor',
        ...report('development set, tuned on', labelledConversations.length, development),
        ...report('held-out set, never tuned on', heldOutConversations.length, heldOut),
      ].join('\n'),
    );
    // Floors: the figures measured when this was written, rounded down to the percent.
    expect(precision(development.entities)).toBeGreaterThanOrEqual(0.95);
    expect(recallOf(development.entities)).toBeGreaterThanOrEqual(0.98);
    expect(precision(development.facts)).toBeGreaterThanOrEqual(0.92);
    expect(recallOf(development.facts)).toBeGreaterThanOrEqual(0.92);
    expect(recallOf(development.supersession)).toBeGreaterThanOrEqual(0.66);
    expect(precision(heldOut.entities)).toBeGreaterThanOrEqual(0.9);
    expect(recallOf(heldOut.entities)).toBeGreaterThanOrEqual(0.82);
    expect(precision(heldOut.facts)).toBeGreaterThanOrEqual(0.83);
    expect(recallOf(heldOut.facts)).toBeGreaterThanOrEqual(0.71);
    expect(recallOf(heldOut.supersession)).toBeGreaterThanOrEqual(0.25);
  });

  it('recall() keeps what a follow-up question needs after the conversation left the window', async () => {
    const rows: string[] = [];
    const results = [];
    for (const maxTokens of [1_000, 200, 120]) {
      for (const [name, conversations] of [
        ['development', labelledConversations],
        ['held-out', heldOutConversations],
      ] as const) {
        const result = await scoreFollowUps(conversations, maxTokens);
        results.push({ name, maxTokens, ...result });
        rows.push(
          `  ${name.padEnd(11)} maxTokens ${String(maxTokens).padStart(5)}: recall() ${result.kept}/${result.total} (${percent(result.kept / result.total)}), last 30 messages alone ${result.keptByWindow}/${result.total}`,
        );
      }
    }
    console.log([`Follow-up question after ${fillerTurns.length} unrelated turns:`, ...rows].join('\n'));
    for (const result of results) {
      expect(result.overBudget).toBe(0);
      // The labelled turns are far out of the message window: only memory can answer.
      expect(result.keptByWindow).toBe(0);
    }
    // Floors: measured, rounded down. Below ~200 tokens the latest turns crowd the facts out.
    const floors: Record<string, number> = {
      'development 1000': 1,
      'held-out 1000': 1,
      'development 200': 1,
      'held-out 200': 1,
      'development 120': 0.83,
      'held-out 120': 0.62,
    };
    for (const result of results) {
      expect(
        result.kept / result.total,
        `${result.name} at ${result.maxTokens} tokens`,
      ).toBeGreaterThanOrEqual(floors[`${result.name} ${result.maxTokens}`]!);
    }
  });
});
