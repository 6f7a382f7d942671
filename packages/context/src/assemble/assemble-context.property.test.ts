import type { Tokenizer } from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContextItem } from '../context-item';
import { type AssembledContext, assembleContext } from './assemble-context';
import type { AssembleContextInput } from './assemble-context-input';
import { countChatTokens } from './count-chat-tokens';

const DAY_MS = 86_400_000;
const now = Date.UTC(2025, 0, 15, 12);
let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await createTokenizer({ encoding: 'o200k_base' });
});

// Text that stresses BPE and rendering: words, whitespace runs, newlines, emoji, CJK, combining marks.
const text = (maxLength: number) =>
  fc.oneof(
    fc.lorem({ maxCount: Math.ceil(maxLength / 6) }).map((words) => words.slice(0, maxLength)),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({
      unit: fc.constantFrom('a', ' ', '\n', '  ', '🚀', '東', 'é', '\u0301', '-', '[', '1'),
      maxLength,
    }),
  );
const nonBlank = (maxLength: number) =>
  text(maxLength).map((value) => `x${value.replace(/\s+/g, ' ')}`.trim());

const itemArbitrary = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  kind: fc.constantFrom('crm', 'tasks', 'calendar'),
  title: nonBlank(60),
  summary: nonBlank(80),
  detail: text(400),
  dueOffsetMs: fc.option(fc.integer({ min: -10 * DAY_MS, max: 10 * DAY_MS })),
  hotLead: fc.boolean(),
});

const inputArbitrary = fc.record({
  query: nonBlank(60),
  items: fc.array(itemArbitrary, { maxLength: 40 }),
  passages: fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), text: text(500) }), {
    maxLength: 8,
  }),
  messages: fc.array(
    fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: text(200) }),
    {
      maxLength: 12,
    },
  ),
  summary: fc.option(text(200)),
  facts: fc.array(text(60), { maxLength: 5 }),
  maxTokens: fc.integer({ min: 60, max: 2_500 }),
  shares: fc.record({
    context: fc.double({ min: 0, max: 1, noNaN: true }),
    passages: fc.double({ min: 0, max: 1, noNaN: true }),
    memory: fc.double({ min: 0.01, max: 1, noNaN: true }),
  }),
  fullDetailItems: fc.integer({ min: 0, max: 8 }),
});

type GeneratedInput = typeof inputArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

function toInput(generated: GeneratedInput): AssembleContextInput {
  const items: ContextItem[] = generated.items.map((record) => ({
    id: record.id,
    kind: record.kind,
    type: record.kind,
    title: record.title,
    summary: record.summary,
    detail: record.detail,
    ...(record.dueOffsetMs === null ? {} : { dueAtMs: now + record.dueOffsetMs }),
    signals: { hotLead: record.hotLead },
  }));
  return {
    query: generated.query,
    items,
    passages: generated.passages,
    memory: {
      messages: generated.messages,
      ...(generated.summary === null ? {} : { summary: generated.summary }),
      facts: generated.facts,
    },
    budget: { maxTokens: generated.maxTokens, shares: generated.shares },
    fullDetailItems: generated.fullDetailItems,
    instructions: 'Answer briefly.',
    tokenizer,
    now,
  };
}

/** Every budget-dropped element of a section ranks below every kept one. */
function assertPrefix(result: AssembledContext) {
  for (const section of ['context', 'passages', 'memory'] as const) {
    const kept = result.included
      .filter((element) => element.section === section)
      .map((element) => element.rank);
    const dropped = result.dropped
      .filter((element) => element.section === section && element.reason === 'budget')
      .map((element) => element.rank);
    if (kept.length > 0 && dropped.length > 0) expect(Math.max(...kept)).toBeLessThan(Math.min(...dropped));
  }
}

/** Kept elements appear whole: every line of a full item's detail, the whole summary, the whole passage. */
function assertWhole(input: AssembleContextInput, result: AssembledContext) {
  const system = result.messages[0]?.role === 'system' ? result.messages[0].content : '';
  for (const element of result.included) {
    if (element.section === 'context') {
      // Repeated kind + id are allowed in the input; the kept one must appear whole.
      const sameIdentity = input.items!.filter(
        (item) => item.kind === element.kind && item.id === element.id,
      );
      const whole = (item: ContextItem) =>
        element.mode === 'summary'
          ? system.includes(item.summary)
          : system.includes(item.title) &&
            item.detail.split(/\r?\n/).every((line) => line.trim() === '' || system.includes(line.trim()));
      expect(sameIdentity.some(whole)).toBe(true);
    } else if (element.section === 'passages') {
      const passage = input.passages!.find((candidate) => candidate.id === element.id)!;
      expect(system).toContain(passage.text.trim());
    }
  }
  const history = result.messages.slice(result.messages[0]?.role === 'system' ? 1 : 0, -1);
  const keptTurns = result.included
    .filter((element) => element.id.startsWith('message:'))
    .map((element) => Number(element.id.slice('message:'.length)))
    .sort((left, right) => left - right);
  expect(history).toEqual(keptTurns.map((index) => input.memory!.messages![index]));
}

describe('assembleContext properties', () => {
  it('never exceeds the budget, never keeps a lower-ranked element in place of a higher one, never splits one', async () => {
    await fc.assert(
      fc.asyncProperty(inputArbitrary, async (generated) => {
        const input = toInput(generated);
        let result: AssembledContext;
        try {
          result = await assembleContext(input);
        } catch (error) {
          // The only refusal allowed: the query and instructions alone over the cap.
          expect(String(error)).toMatch(/alone take \d+ tokens, over budget\.maxTokens/);
          return;
        }
        expect(result.tokens.total).toBeLessThanOrEqual(generated.maxTokens);
        expect(result.tokens.total).toBe(countChatTokens(result.messages, tokenizer));
        expect(result.messages.at(-1)).toEqual({ role: 'user', content: input.query });
        assertPrefix(result);
        assertWhole(input, result);
        const contextElements =
          result.included.filter((element) => element.section === 'context').length +
          result.dropped.filter((element) => element.section === 'context').length;
        expect(contextElements).toBe(input.items!.length);
      }),
      { numRuns: 120 },
    );
  });

  it('gives byte-identical output for the same input, whatever the order of the items', async () => {
    await fc.assert(
      fc.asyncProperty(inputArbitrary, async (generated) => {
        const input = toInput(generated);
        const first = await assembleContext(input).catch((error: unknown) => String(error));
        const again = await assembleContext({ ...input, items: [...input.items!].reverse() }).catch(
          (error: unknown) => String(error),
        );
        expect(JSON.stringify(again)).toBe(JSON.stringify(first));
      }),
      { numRuns: 60 },
    );
  });
});
