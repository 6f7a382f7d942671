import {
  createTelemetryChannel,
  MAX_QUERY_LENGTH,
  type NeptuneEventOf,
  type Tokenizer,
  ValidationError,
} from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContextItem } from '../context-item';
import { assembleContext } from './assemble-context';
import type { AssembleContextInput, PassageInput } from './assemble-context-input';
import { countChatTokens } from './count-chat-tokens';

const HOUR_MS = 3_600_000;
const now = Date.UTC(2025, 0, 15, 12);
let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await createTokenizer({ encoding: 'o200k_base' });
});

function task(index: number, overrides: Partial<ContextItem> = {}): ContextItem {
  return {
    id: `t${index}`,
    kind: 'tasks',
    type: 'task',
    title: `Task number ${index}`,
    detail: `The long description of task ${index}: ${'several words of notes '.repeat(8)}`,
    summary: `Task ${index}, one line`,
    timestampMs: now - index * HOUR_MS,
    signals: {},
    ...overrides,
  };
}

const tasks = (count: number) => Array.from({ length: count }, (_, index) => task(index));
const passage = (index: number, words = 30): PassageInput => ({
  id: `p${index}`,
  text: `Passage ${index}. ${'knowledge text '.repeat(words)}`,
  citation: {
    documentId: `doc${index}`,
    title: `Handbook ${index}`,
    source: 'handbook.md',
    start: 0,
    end: 10,
  },
});
// Most tests look at packing, so they keep unrelated items; the gate has its own test.
const assemble = (input: AssembleContextInput) =>
  assembleContext({ tokenizer, now, includeUnrelated: true, ...input });

describe('assembleContext', () => {
  it('returns [system, ...history, user] messages in the shape OpenAI and the AI SDK take, with citations', async () => {
    const result = await assemble({
      query: 'What is due?',
      items: tasks(2),
      passages: [passage(1)],
      memory: {
        messages: [
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hi!' },
        ],
        summary: 'Talked about quotes.',
      },
    });
    expect(result.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(Object.keys(result.messages[0]!).sort()).toEqual(['content', 'role']);
    expect(result.messages.at(-1)).toEqual({ role: 'user', content: 'What is due?' });
    const system = result.messages[0]!.content;
    expect(system).toContain('## App context (as of 2025-01-15 12:00 UTC)');
    expect(system).toContain('[1] Handbook 1 — handbook.md');
    expect(system).toContain('Earlier in this conversation: Talked about quotes.');
    expect(result.citations).toEqual([
      {
        marker: 1,
        passageId: 'p1',
        documentId: 'doc1',
        title: 'Handbook 1',
        source: 'handbook.md',
        start: 0,
        end: 10,
      },
    ]);
    expect(result.tokens.total).toBe(countChatTokens(result.messages, tokenizer));
  });

  it('shows the top 5 items in full and the rest as one-line summaries', async () => {
    const result = await assemble({ query: 'anything', items: tasks(8) });
    const modes = result.included
      .filter((element) => element.section === 'context')
      .map((element) => element.mode);
    expect(modes).toEqual(['full', 'full', 'full', 'full', 'full', 'summary', 'summary', 'summary']);
    const system = result.messages[0]!.content;
    expect(system).toContain('The long description of task 4');
    expect(system).not.toContain('The long description of task 5');
    expect(system).toContain('- [task] Task 5, one line');
    const three = await assemble({ query: 'anything', items: tasks(8), fullDetailItems: 3 });
    expect(three.included.filter((element) => element.mode === 'full')).toHaveLength(3);
  });

  it('drops the lowest-ranked items when the budget is short, and says why', async () => {
    const roomy = await assemble({ query: 'anything', items: tasks(40) });
    const tight = await assemble({ query: 'anything', items: tasks(40), budget: { maxTokens: 700 } });
    expect(roomy.dropped).toEqual([]);
    expect(tight.tokens.total).toBeLessThanOrEqual(700);
    const kept = tight.included
      .filter((element) => element.section === 'context')
      .map((element) => element.rank);
    const dropped = tight.dropped.map((element) => element.rank);
    expect(dropped.length).toBeGreaterThan(0);
    expect(Math.max(...kept)).toBeLessThan(Math.min(...dropped));
    expect(tight.dropped.every((element) => element.reason === 'budget' && element.score !== undefined)).toBe(
      true,
    );
  });

  it('falls back to the summary for a top item whose full detail does not fit, rather than cutting it', async () => {
    const huge = task(0, { detail: 'An enormous note. '.repeat(1_000), dueAtMs: now - HOUR_MS });
    const result = await assemble({
      query: 'anything',
      items: [huge, ...tasks(3).slice(1)],
      budget: { maxTokens: 1_000 },
    });
    expect(result.included[0]).toMatchObject({ id: 't0', mode: 'summary', rank: 0 });
    expect(result.messages[0]!.content).not.toContain('An enormous note');
  });

  it('lets a section use what another leaves unused', async () => {
    const budget = { maxTokens: 3_000, shares: { context: 0.5, passages: 0.5, memory: 0 } };
    const withPassages = await assemble({
      query: 'anything',
      items: tasks(400),
      passages: [1, 2, 3].map((index) => passage(index, 200)),
      budget,
    });
    const alone = await assemble({ query: 'anything', items: tasks(400), budget });
    expect(alone.dropped.length).toBeGreaterThan(0);
    const contextItems = (result: typeof alone) =>
      result.included.filter((element) => element.section === 'context').length;
    expect(contextItems(alone)).toBeGreaterThan(contextItems(withPassages));
    // Alone, the context fills the whole budget rather than its half.
    expect(alone.tokens.total).toBeGreaterThan(2_900);
    expect(withPassages.tokens.sections.passages).toBeGreaterThan(1_000);
  });

  it('keeps the latest turns of the conversation, in order, when memory is short of room', async () => {
    const messages = Array.from({ length: 30 }, (_, index) => ({
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `Turn ${index}: ${'talk '.repeat(40)}`,
    }));
    const result = await assemble({
      query: 'and then?',
      memory: { messages, facts: ['Prefers metric units', { text: 'Works at Acme' }] },
      budget: { maxTokens: 1_200 },
    });
    const history = result.messages
      .slice(1, -1)
      .map((message) => Number(/Turn (\d+)/.exec(message.content)![1]));
    expect(history.length).toBeGreaterThan(0);
    expect(history.length).toBeLessThan(30);
    expect(history).toEqual(
      Array.from({ length: history.length }, (_, offset) => 30 - history.length + offset),
    );
    expect(result.messages[0]!.content).toContain('Known facts:\n- Prefers metric units\n- Works at Acme');
  });

  it('is deterministic: the same input gives byte-identical output, whatever the order of the items', async () => {
    const items = [...tasks(30), task(99, { title: 'Acme quote', signals: { hotLead: true } })];
    const input = {
      query: 'acme quote',
      items,
      passages: [passage(1), passage(2)],
      budget: { maxTokens: 900 },
    };
    const first = await assemble(input);
    const second = await assemble({ ...input, items: [...items].reverse() });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('leaves out items with no signal, query term or nearby date, unless asked to keep them', async () => {
    const items = [
      task(1, { title: 'Acme follow-up' }),
      task(2, { signals: { hotLead: true } }),
      task(3, { dueAtMs: now + 2 * 24 * HOUR_MS }),
      task(4, { timestampMs: now }),
    ];
    const gated = await assembleContext({ tokenizer, now, query: 'acme', items });
    expect(gated.included.map((element) => element.id)).toEqual(['t1', 't2', 't3']);
    expect(gated.dropped).toEqual([expect.objectContaining({ id: 't4', reason: 'unrelated' })]);
    expect(gated.dropped[0]!.score).toMatchObject({ related: false, matchedTerms: [], priorityWeight: 3 });
    const everything = await assembleContext({
      tokenizer,
      now,
      query: 'acme',
      items,
      includeUnrelated: true,
    });
    expect(everything.included).toHaveLength(4);
  });

  it('sets aside repeated items (by id, across sources) and passages, and items under minScore', async () => {
    const result = await assemble({
      query: 'acme',
      // The same record from two sources (a search and a summary) is shown once.
      items: [task(1, { title: 'Acme' }), task(1, { title: 'Acme', kind: 'search' }), task(2)],
      passages: [passage(1), passage(1)],
      minScore: 2,
    });
    expect(result.dropped.map((element) => [element.id, element.reason])).toEqual([
      ['t1', 'duplicate'],
      ['t2', 'low-score'],
      ['p1', 'duplicate'],
    ]);
    expect(result.citations).toHaveLength(1);
  });

  it('reports the tokens before and after pruning on the context-assemble event', async () => {
    const telemetry = createTelemetryChannel();
    const events: NeptuneEventOf<'context-assemble'>[] = [];
    telemetry.on('context-assemble', (event) => events.push(event));
    const result = await assemble({
      query: 'anything',
      items: tasks(60),
      telemetry,
      measureUnpruned: true,
      scope: { workspaceId: 'acme' },
      budget: { maxTokens: 1_500 },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tokensAfter: result.tokens.total,
      tokensBefore: result.unprunedTokens,
      maxTokens: 1_500,
    });
    expect(result.unprunedTokens).toBeGreaterThan(result.tokens.total * 2);
  });

  it('counts items left out as unrelated in the unpruned total, as a prompt without pruning would carry them', async () => {
    const items = tasks(30);
    const pruned = await assemble({
      query: 'zebra',
      items,
      includeUnrelated: false,
      measureUnpruned: true,
      budget: { maxTokens: 4_000 },
    });
    const everything = await assemble({
      query: 'zebra',
      items,
      includeUnrelated: true,
      fullDetailItems: 1_000,
      measureUnpruned: true,
      budget: { maxTokens: 8_000 },
    });
    expect(pruned.dropped.some((element) => element.reason === 'unrelated')).toBe(true);
    expect(pruned.unprunedTokens).toBe(everything.unprunedTokens);
    expect(pruned.unprunedTokens).toBeGreaterThan(pruned.tokens.total);
  });

  it('counts with the encoding asked for', async () => {
    const text = 'Résumé: 東京 meeting at 10:30 — «quoted» text';
    const o200k = await assembleContext({ query: text, instructions: '', now });
    const cl100k = await assembleContext({ query: text, instructions: '', now, encoding: 'cl100k_base' });
    const cl100kTokenizer = await createTokenizer({ encoding: 'cl100k_base' });
    expect(cl100k.tokens.total).toBe(cl100kTokenizer.count(text) + 6);
    expect(o200k.tokens.total).toBe(tokenizer.count(text) + 6);
    expect(o200k.tokens.total).not.toBe(cl100k.tokens.total);
  });

  it('refuses bad input with a ValidationError that says what to change', async () => {
    await expect(assemble({ query: '   ' })).rejects.toThrow(/query: must not be empty/);
    await expect(
      assemble({ query: 'q', memory: { messages: [{ role: 'tool' as 'user', content: 'x' }] } }),
    ).rejects.toThrow(ValidationError);
    await expect(
      assemble({ query: 'q', budget: { shares: { context: 0, passages: 0, memory: 0 } } }),
    ).rejects.toThrow(/at least one share/);
    await expect(
      assemble({ query: 'a long question '.repeat(50), budget: { maxTokens: 100 } }),
    ).rejects.toThrow(/over budget\.maxTokens \(100\)/);
  });

  it('takes a question up to MAX_QUERY_LENGTH, the limit the assistant and retrieve check too', async () => {
    await expect(assemble({ query: 'q'.repeat(MAX_QUERY_LENGTH) })).resolves.toBeDefined();
    await expect(assemble({ query: 'q'.repeat(MAX_QUERY_LENGTH + 1) })).rejects.toThrow(
      /query: must be at most 4000 characters/,
    );
  });
});
