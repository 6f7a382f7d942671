import { ValidationError } from '@neptune/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContextItem } from '../context-item';
import { scoreContextItems } from './score-context-items';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const now = Date.UTC(2025, 0, 15, 12);

function item(overrides: Partial<ContextItem> & { id: string }): ContextItem {
  return {
    kind: 'crm',
    type: 'contact',
    title: `Item ${overrides.id}`,
    detail: '',
    summary: `Item ${overrides.id}`,
    signals: {},
    ...overrides,
  };
}

const scoreOf = (items: ContextItem[], query: string, id: string, options = {}) =>
  scoreContextItems(items, query, { now, ...options }).find((scored) => scored.item.id === id)!.score;

describe('scoreContextItems', () => {
  it("applies the plan's priority weights: hot lead 10, overdue 9, today 8, recent conversation 7, general 3", () => {
    const items = [
      item({ id: 'hot', signals: { hotLead: true } }),
      item({ id: 'late', kind: 'tasks', dueAtMs: now - HOUR_MS }),
      item({ id: 'meeting', kind: 'calendar', startsAtMs: now + 2 * HOUR_MS }),
      item({ id: 'chat', signals: { recentConversation: true } }),
      item({ id: 'plain' }),
    ];
    const weights = Object.fromEntries(
      scoreContextItems(items, '', { now }).map(({ item, score }) => [item.id, score.priorityWeight]),
    );
    expect(weights).toEqual({ hot: 10, late: 9, meeting: 8, chat: 7, plain: 3 });
    // With the default part weights (3, 5, 1, 1) the priority part is 3 × weight / 10.
    expect(scoreOf(items, '', 'hot').parts.priority).toBe(3);
    expect(scoreOf(items, '', 'plain').parts.priority).toBe(0.9);
  });

  it('derives overdue from dueAt, and lets an explicit false (a finished task) override it', () => {
    const open = item({ id: 'open', kind: 'tasks', dueAtMs: now - DAY_MS });
    const done = item({ id: 'done', kind: 'tasks', dueAtMs: now - DAY_MS, signals: { overdue: false } });
    expect(scoreOf([open, done], '', 'open').signals).toContain('overdue');
    expect(scoreOf([open, done], '', 'open').parts.timeSensitivity).toBe(1);
    expect(scoreOf([open, done], '', 'done').signals).not.toContain('overdue');
    expect(scoreOf([open, done], '', 'done').priorityWeight).toBe(3);
  });

  it('measures "today" as a calendar day in the configured time zone', () => {
    // 23:30 UTC on the 15th is the 16th in Tokyo, where it is already 21:00 on the 15th.
    const late = item({ id: 'late', kind: 'calendar', startsAtMs: Date.UTC(2025, 0, 15, 23, 30) });
    expect(scoreOf([late], '', 'late').signals).toEqual(['today']);
    expect(scoreOf([late], '', 'late', { timeZone: 'Asia/Tokyo' }).signals).toEqual([]);
    // Tomorrow in Tokyo, and within the 3-day "soon" window: 0.4 of the time-sensitivity weight.
    expect(scoreOf([late], '', 'late', { timeZone: 'Asia/Tokyo' }).parts.timeSensitivity).toBe(0.4);
  });

  it('does not treat an item updated today as scheduled today', () => {
    const touched = item({ id: 'touched', timestampMs: now - HOUR_MS });
    expect(scoreOf([touched], '', 'touched').signals).toEqual([]);
    expect(scoreOf([touched], '', 'touched').parts.recency).toBeGreaterThan(0.99);
  });

  it('ranks the item the query names above generic high-priority items', () => {
    const items = [
      item({ id: 'hot', title: 'Globex', summary: 'Globex, score 97', signals: { hotLead: true } }),
      item({ id: 'acme', kind: 'deals', type: 'deal', title: 'Acme renewal', summary: 'Acme renewal, $40k' }),
      item({ id: 'late', kind: 'tasks', type: 'task', title: 'File expenses', dueAtMs: now - DAY_MS }),
    ];
    const ranked = scoreContextItems(items, 'Where are we on the Acme renewal?', { now });
    expect(ranked.map((scored) => scored.item.id)).toEqual(['acme', 'late', 'hot']);
    expect(ranked[0]!.score.matchedTerms).toEqual(['acme', 'renewal']);
    expect(ranked[0]!.score.parts.termMatch).toBe(5);
  });

  it('weighs a rare query term above one that every item contains', () => {
    const items = [
      item({ id: 'a', title: 'Acme meeting notes' }),
      item({ id: 'b', title: 'Globex meeting notes' }),
      item({ id: 'c', title: 'Initech meeting notes' }),
    ];
    const match = (id: string) => scoreOf(items, 'acme meeting', id).parts.termMatch;
    expect(match('a')).toBeGreaterThan(match('b'));
    expect(match('b')).toBeGreaterThan(0);
    expect(match('b')).toBe(match('c'));
  });

  it('counts a match only in the detail at half the weight of one in the title', () => {
    const items = [
      item({ id: 'title', title: 'Acme' }),
      item({ id: 'detail', title: 'Quarterly review', detail: 'Mentions Acme in passing' }),
      item({ id: 'none', title: 'Other' }),
    ];
    // Half the share, squared: a quarter of the points.
    expect(scoreOf(items, 'acme', 'detail').parts.termMatch).toBe(
      scoreOf(items, 'acme', 'title').parts.termMatch / 4,
    );
  });

  it('ranks the item matching the whole query above an overdue one matching most of it', () => {
    const items = [
      item({
        id: 'named',
        kind: 'deals',
        type: 'deal',
        title: 'Woodgrove Logistics pilot',
        dueAtMs: now + 20 * DAY_MS,
      }),
      item({
        id: 'sibling',
        kind: 'deals',
        type: 'deal',
        title: 'Woodgrove Logistics renewal',
        dueAtMs: now - 5 * DAY_MS,
      }),
      item({
        id: 'other',
        kind: 'deals',
        type: 'deal',
        title: 'Monarch Health pilot',
        dueAtMs: now - 5 * DAY_MS,
      }),
      ...['Globex', 'Initech', 'Hooli'].map((name, index) =>
        item({
          id: `deal${index}`,
          kind: 'deals',
          type: 'deal',
          title: `${name} renewal`,
          detail: 'pilot notes',
        }),
      ),
    ];
    const ranked = scoreContextItems(items, 'Where are we on the Woodgrove Logistics pilot deal?', { now });
    expect(ranked.map((scored) => scored.item.id).slice(0, 3)).toEqual(['named', 'sibling', 'other']);
  });

  it('matches plurals, accents and case', () => {
    const items = [item({ id: 'a', kind: 'tasks', type: 'task', title: 'Café invoices' }), item({ id: 'b' })];
    expect(scoreOf(items, 'INVOICE for the cafe', 'a').matchedTerms).toEqual(['cafe', 'invoice']);
  });

  it('takes configurable weights, scaled to sum to 10, and custom signal weights', () => {
    const items = [item({ id: 'vip', signals: { vip: true } }), item({ id: 'plain', title: 'Acme' })];
    const options = {
      scoring: {
        weights: { priority: 1, termMatch: 1, timeSensitivity: 0, recency: 0 },
        priorityWeights: { vip: 10 },
      },
    };
    expect(scoreOf(items, 'acme', 'vip', options).parts.priority).toBe(5);
    expect(scoreOf(items, 'acme', 'plain', options)).toMatchObject({
      score: 6.5,
      parts: { priority: 1.5, termMatch: 5 },
    });
  });

  it('gives every item a score between 0 and 10 that is the sum of its parts, in an order independent of the input', () => {
    const itemArbitrary = fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      kind: fc.constantFrom('crm', 'tasks', 'calendar'),
      title: fc.string({ minLength: 1, maxLength: 30 }),
      detail: fc.string({ maxLength: 60 }),
      offsetMs: fc.option(fc.integer({ min: -30 * DAY_MS, max: 30 * DAY_MS })),
      hotLead: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(itemArbitrary, { maxLength: 20 }),
        fc.string({ maxLength: 40 }),
        (records, query) => {
          const items = records.map((record) =>
            item({
              id: record.id,
              kind: record.kind,
              title: record.title,
              detail: record.detail,
              summary: record.title,
              ...(record.offsetMs === null ? {} : { dueAtMs: now + record.offsetMs }),
              signals: { hotLead: record.hotLead },
            }),
          );
          const ranked = scoreContextItems(items, query, { now });
          for (const { score } of ranked) {
            expect(score.score).toBeGreaterThanOrEqual(0);
            expect(score.score).toBeLessThanOrEqual(10);
            const sum =
              score.parts.priority +
              score.parts.termMatch +
              score.parts.timeSensitivity +
              score.parts.recency;
            expect(score.score).toBeCloseTo(Math.min(10, sum), 3);
          }
          const reversed = scoreContextItems([...items].reverse(), query, { now });
          expect(reversed.map((scored) => [scored.item.kind, scored.item.id, scored.score.score])).toEqual(
            ranked.map((scored) => [scored.item.kind, scored.item.id, scored.score.score]),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects an unknown time zone and negative weights with a ValidationError naming them', () => {
    expect(() => scoreContextItems([], 'q', { timeZone: 'Mars/Olympus' })).toThrow(ValidationError);
    expect(() => scoreContextItems([], 'q', { timeZone: 'Mars/Olympus' })).toThrow(/timeZone/);
    expect(() => scoreContextItems([], 'q', { scoring: { weights: { priority: -1 } } })).toThrow(
      /weights\.priority/,
    );
  });
});
