import { parseInput } from '@neptune/core';
import { z } from 'zod';
import { calendarDay } from '../calendar-day';
import type { ContextItem } from '../context-item';
import {
  DEFAULT_PRIORITY_WEIGHTS,
  type ResolvedScoringOptions,
  scoringOptionsSchema,
  timeZoneSchema,
} from './scoring-options';
import { textTerms } from './text-terms';

/** Each part's contribution in points; they add up to the score. */
export interface ScoreParts {
  readonly priority: number;
  readonly termMatch: number;
  readonly timeSensitivity: number;
  readonly recency: number;
}

/** Why an item ranks where it does. */
export interface ContextItemScore {
  /** 0 to 10: the sum of the parts. */
  readonly score: number;
  readonly parts: ScoreParts;
  /** The signals that held, given by the source or derived from the item's times (`overdue`, `today`). */
  readonly signals: readonly string[];
  /** The plan's 0-10 weight of the strongest signal, or `general`'s. */
  readonly priorityWeight: number;
  /** Query terms found in the item. */
  readonly matchedTerms: readonly string[];
  /**
   * The item has a reason to be in the prompt: a signal weighted above `general`, a query term, or a start
   * or due time within `soonMs` (or past due). Recency alone is not one. Assembly leaves the others out
   * unless `includeUnrelated` is set.
   */
  readonly related: boolean;
}

/** A context item with its score and the parts the score is made of. */
export interface ScoredContextItem {
  readonly item: ContextItem;
  readonly score: ContextItemScore;
}

/** Matches only in the detail count for half: a name in a title is stronger evidence than one in a note. */
const DETAIL_MATCH_FACTOR = 0.5;
const TODAY_SENSITIVITY = 0.8;
/** A one-word title ("Review") is too easily "mentioned" by accident. */
const MIN_MENTIONED_TITLE_TERMS = 2;
const SOON_SENSITIVITY = 0.4;

const optionsShape = {
  /** Epoch ms that "overdue", "today" and recency are measured from. Default `Date.now()`. */
  now: z.number().finite().optional(),
  /** The zone "today" is a calendar day in. Default `UTC`. */
  timeZone: timeZoneSchema.default('UTC'),
  /** How items are scored: the part weights, the signal weights and the time windows. */
  scoring: scoringOptionsSchema,
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `scoreContextItems`: the clock, the time zone and the scoring weights. */
export type ScoreContextItemsOptions = z.input<typeof optionsSchema>;

/**
 * Scores items against a query, best first. Each score (0-10) is the sum of four parts, each a 0-1
 * measure times its weight (weights scaled to sum to 10; default 3, 5, 1, 1):
 *
 * - priority: the strongest signal's weight / 10 (hot lead 10, overdue 9, today 8, recent conversation 7,
 *   otherwise general 3);
 * - termMatch: the squared share of the query's terms found in the item, each term weighted by its rarity
 *   among the items (BM25's idf, a mention only in a detail counting half, for the match and the rarity);
 * - timeSensitivity: 1 if overdue, 0.8 if scheduled or due today, 0.4 if within `soonMs`, else 0;
 * - recency: 0.5 ^ (distance from now / `recencyHalfLifeMs`), from the item's timestamp (else its start or
 *   due time).
 *
 * Ties are broken by kind, then id, so the order never depends on the input order.
 */
export function scoreContextItems(
  items: readonly ContextItem[],
  query: string,
  options: ScoreContextItemsOptions = {},
): ScoredContextItem[] {
  const checked = parseInput(optionsSchema, options, 'scoreContextItems options');
  return rankItems(items, query, checked.scoring, checked.now ?? Date.now(), checked.timeZone);
}

/** `scoreContextItems` with options already checked. */
export function rankItems(
  items: readonly ContextItem[],
  query: string,
  scoring: ResolvedScoringOptions,
  now: number,
  timeZone: string,
): ScoredContextItem[] {
  const { priority, termMatch, timeSensitivity, recency } = scoring.weights;
  const scale = 10 / (priority + termMatch + timeSensitivity + recency);
  const weights = {
    priority: priority * scale,
    termMatch: termMatch * scale,
    timeSensitivity: timeSensitivity * scale,
    recency: recency * scale,
  };
  const priorityWeights = { ...DEFAULT_PRIORITY_WEIGHTS, ...scoring.priorityWeights };
  const generalWeight = priorityWeights.general ?? DEFAULT_PRIORITY_WEIGHTS.general!;
  const matcher = termMatcher(items, query);
  const today = calendarDay(now, timeZone);

  const scored = items.map((item): ScoredContextItem => {
    const time = timeFacts(item, now, today, timeZone, scoring);
    const match = matcher(item);
    const signals = activeSignals(item, time, match.mentioned);
    const priorityWeight = strongestWeight(signals, priorityWeights);
    const parts: ScoreParts = {
      priority: round(weights.priority * (priorityWeight / 10)),
      termMatch: round(weights.termMatch * match.share),
      timeSensitivity: round(weights.timeSensitivity * time.sensitivity),
      recency: round(weights.recency * recencyOf(item, now, scoring.recencyHalfLifeMs)),
    };
    const score = Math.min(
      10,
      round(parts.priority + parts.termMatch + parts.timeSensitivity + parts.recency),
    );
    const related = priorityWeight > generalWeight || match.terms.length > 0 || time.sensitivity > 0;
    return { item, score: { score, parts, signals, priorityWeight, matchedTerms: match.terms, related } };
  });
  return scored.sort(compareScored);
}

export function compareScored(left: ScoredContextItem, right: ScoredContextItem): number {
  if (left.score.score !== right.score.score) return right.score.score - left.score.score;
  if (left.item.kind !== right.item.kind) return left.item.kind < right.item.kind ? -1 : 1;
  if (left.item.id !== right.item.id) return left.item.id < right.item.id ? -1 : 1;
  return 0;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

interface TimeFacts {
  readonly overdue: boolean;
  readonly today: boolean;
  readonly sensitivity: number;
}

function timeFacts(
  item: ContextItem,
  now: number,
  today: string,
  timeZone: string,
  scoring: ResolvedScoringOptions,
): TimeFacts {
  const overdue = item.signals.overdue ?? (item.dueAtMs !== undefined && item.dueAtMs < now);
  const scheduledToday = [item.startsAtMs, item.dueAtMs].some(
    (time) => time !== undefined && calendarDay(time, timeZone) === today,
  );
  const isToday = item.signals.today ?? scheduledToday;
  const next = item.startsAtMs ?? item.dueAtMs;
  const soon = next !== undefined && next > now && next - now <= scoring.soonMs;
  const sensitivity = overdue ? 1 : isToday ? TODAY_SENSITIVITY : soon ? SOON_SENSITIVITY : 0;
  return { overdue, today: isToday, sensitivity };
}

function activeSignals(item: ContextItem, time: TimeFacts, mentioned: boolean): string[] {
  const signals = new Set<string>();
  for (const [name, value] of Object.entries(item.signals)) if (value === true) signals.add(name);
  if (mentioned) signals.add('mentioned');
  if (time.overdue) signals.add('overdue');
  else signals.delete('overdue');
  if (time.today) signals.add('today');
  else signals.delete('today');
  return [...signals].sort();
}

function strongestWeight(signals: readonly string[], weights: Readonly<Record<string, number>>): number {
  let strongest: number | undefined;
  for (const signal of signals) {
    const weight = weights[signal];
    if (weight !== undefined && (strongest === undefined || weight > strongest)) strongest = weight;
  }
  return strongest ?? weights.general ?? DEFAULT_PRIORITY_WEIGHTS.general!;
}

function recencyOf(item: ContextItem, now: number, halfLifeMs: number): number {
  const reference = item.timestampMs ?? item.startsAtMs ?? item.dueAtMs;
  if (reference === undefined) return 0;
  return 0.5 ** (Math.abs(now - reference) / halfLifeMs);
}

interface TermMatch {
  readonly share: number;
  readonly terms: string[];
  /** The query contains every term of the item's title: the user named it. */
  readonly mentioned: boolean;
}

/**
 * Builds the term matcher for one query over one set of items: term rarity (idf) is measured across the
 * items, so a name that appears in one item weighs more than a word that appears in all of them.
 */
function termMatcher(items: readonly ContextItem[], query: string): (item: ContextItem) => TermMatch {
  const queryTerms = [...new Set(textTerms(query))].sort();
  const none: TermMatch = { share: 0, terms: [], mentioned: false };
  if (queryTerms.length === 0 || items.length === 0) return () => none;
  const wanted = new Set(queryTerms);
  const found = new Map<ContextItem, { head: Set<string>; body: Set<string>; mentioned: boolean }>();
  const documentFrequency = new Map<string, number>();
  for (const item of items) {
    const head = new Set(
      textTerms(`${item.type} ${item.kind} ${item.title} ${item.summary}`).filter((term) => wanted.has(term)),
    );
    const body = new Set(textTerms(item.detail).filter((term) => wanted.has(term) && !head.has(term)));
    const titleTerms = new Set(textTerms(item.title));
    const mentioned =
      titleTerms.size >= MIN_MENTIONED_TITLE_TERMS && [...titleTerms].every((term) => wanted.has(term));
    found.set(item, { head, body, mentioned });
    // A mention in a detail says less about what an item is than one in its title: it counts half.
    for (const term of head) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    for (const term of body)
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + DETAIL_MATCH_FACTOR);
  }
  const count = items.length;
  const idf = new Map<string, number>();
  let total = 0;
  for (const term of queryTerms) {
    const frequency = documentFrequency.get(term) ?? 0;
    if (frequency === 0) continue;
    const weight = Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
    idf.set(term, weight);
    total += weight;
  }
  if (total === 0) return () => none;
  return (item) => {
    const terms = found.get(item);
    if (terms === undefined || (terms.head.size === 0 && terms.body.size === 0)) return none;
    let sum = 0;
    for (const term of terms.head) sum += idf.get(term) ?? 0;
    for (const term of terms.body) sum += (idf.get(term) ?? 0) * DETAIL_MATCH_FACTOR;
    // Squared: an item that matches the whole query clearly outranks one that matches part of it, even
    // when the partial match is overdue or a hot lead.
    const share = Math.min(1, sum / total);
    return { share: share * share, terms: [...terms.head, ...terms.body].sort(), mentioned: terms.mentioned };
  };
}
