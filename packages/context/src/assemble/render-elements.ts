import { calendarDay, formatDateTime } from '../calendar-day';
import type { ContextItem } from '../context-item';
import type { ContextItemScore } from '../score/score-context-items';
import { relativeTime } from './relative-time';

/** How elements are written into the system message. Plain text: every model reads it, and it is short. */

export function contextHeader(now: number, timeZone: string): string {
  return `## App context (as of ${formatDateTime(now, timeZone)} ${timeZone})`;
}

export const KNOWLEDGE_HEADER = '## Knowledge';
export const MEMORY_HEADER = '## Conversation memory';
export const FACTS_HEADER = 'Known facts:';

/** `hotLead` → `hot lead`. */
function words(signal: string): string {
  return signal.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Signals in words, then times relative to now (in full, with the date): `(hot lead; due in 3 days)`. */
function annotation(
  item: ContextItem,
  score: ContextItemScore,
  mode: 'full' | 'summary',
  clock: RenderClock,
): string {
  const { now, timeZone } = clock;
  // In full, a day-level phrase ("in 5 days") gets its date; "today 17:00" needs none.
  const when = (epochMs: number) => {
    const relative = relativeTime(epochMs, now, timeZone);
    return mode === 'full' && !/\d:\d/.test(relative)
      ? `${relative} on ${calendarDay(epochMs, timeZone)}`
      : relative;
  };
  // "overdue" and "today" are said by the times themselves when the item has them; "mentioned" by the query.
  const timed = new Set([
    'mentioned',
    ...(item.dueAtMs === undefined ? [] : ['overdue', 'today']),
    ...(item.startsAtMs === undefined ? [] : ['today']),
  ]);
  const notes = score.signals.filter((signal) => !timed.has(signal)).map(words);
  if (item.startsAtMs !== undefined) {
    notes.push(`starts ${when(item.startsAtMs)}`);
  }
  if (item.dueAtMs !== undefined) {
    const overdue = score.signals.includes('overdue') ? 'overdue, ' : '';
    notes.push(`${overdue}due ${when(item.dueAtMs)}`);
  }
  return notes.length === 0 ? '' : ` (${notes.join('; ')})`;
}

export interface RenderClock {
  readonly now: number;
  readonly timeZone: string;
}

/** `- [task] Title (overdue, due 2 days ago)` and, in full, the detail and the citation indented below. */
export function renderItem(
  item: ContextItem,
  score: ContextItemScore,
  mode: 'full' | 'summary',
  clock: RenderClock,
): string {
  const head = `- [${item.type}] ${mode === 'full' ? item.title : item.summary}${annotation(item, score, mode, clock)}`;
  if (mode === 'summary') return head;
  const lines = [head];
  const detail = item.detail.trim();
  if (detail !== '' && detail !== item.title && detail !== item.summary) {
    for (const line of detail.split(/\r?\n/)) if (line.trim() !== '') lines.push(`  ${line.trim()}`);
  } else if (item.summary !== item.title) {
    lines.push(`  ${item.summary}`);
  }
  const citation = item.citation;
  if (citation !== undefined) {
    const label = [citation.title, citation.source, citation.url].filter((part) => part !== undefined);
    if (label.length > 0) lines.push(`  source: ${label.join(', ')}`);
  }
  return lines.join('\n');
}

export function renderPassage(
  marker: number,
  text: string,
  citation:
    | {
        readonly title?: string | undefined;
        readonly source?: string | undefined;
        readonly documentId?: string | undefined;
      }
    | undefined,
): string {
  const label = [citation?.title ?? citation?.documentId, citation?.source].filter(
    (part): part is string => part !== undefined && part !== '',
  );
  return `[${marker}]${label.length > 0 ? ` ${label.join(' — ')}` : ''}\n${text.trim()}`;
}

export function renderSummary(summary: string): string {
  return `Earlier in this conversation: ${summary.trim()}`;
}

export function renderFact(fact: string): string {
  return `- ${fact.replace(/\s+/g, ' ').trim()}`;
}
