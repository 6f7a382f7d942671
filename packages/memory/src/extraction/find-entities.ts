import type { ExtractedEntity } from '@neptune/core';
import {
  ADDRESS,
  AMOUNT,
  CAPITALISED_RUN,
  DATE,
  EMAIL,
  HONORIFIC,
  NOT_A_NAME,
  ORGANIZATION_AFTER,
  ORGANIZATION_SUFFIX,
  PHONE,
  PLACE_AFTER,
  PRODUCT_AFTER_VERB,
  PRODUCT_CONTEXT,
} from './entity-patterns';
import { KNOWN_PLACES } from './known-places';

export interface EntitySpan extends ExtractedEntity {
  readonly start: number;
  readonly end: number;
}

const PLACE_FIRST_WORD = /^(?:Hotel|Airport|Mount|Lake|Port|Fort)$/;
const PLACE_LAST_WORD = /^(?:Street|Avenue|Road|Square|Plaza|Boulevard|Airport|Station)$/;
/** A lower-case letter followed by a capital inside one word: HubSpot, LinkedIn, iPhone. */
const CAMEL_CASE = /[a-z][A-Z]/;
const ALL_CAPS = /^[A-Z&]+$/;

class Spans {
  readonly found: EntitySpan[] = [];
  free(start: number, end: number): boolean {
    return this.found.every((span) => end <= span.start || start >= span.end);
  }
  add(start: number, end: number, name: string, type: string): void {
    if (name.trim() === '' || !this.free(start, end)) return;
    this.found.push({ start, end, name: name.trim(), type });
  }
}

function scan(
  text: string,
  pattern: RegExp,
  type: string,
  spans: Spans,
  accept?: (match: string) => boolean,
): void {
  for (const match of text.matchAll(pattern)) {
    const name = match[0].replace(/[.,;:]+$/, '');
    if (accept && !accept(name)) continue;
    spans.add(match.index, match.index + name.length, name, type);
  }
}

function scanGroup(text: string, pattern: RegExp, type: string, spans: Spans): void {
  for (const match of text.matchAll(pattern)) {
    const name = match[1]!;
    if (NOT_A_NAME.has(name)) continue;
    const start = match.index + match[0].lastIndexOf(name);
    spans.add(start, start + name.length, name, type);
  }
}

const isPhone = (candidate: string) => {
  const digits = candidate.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
};

/** Classifies a run of capitalised words, or returns undefined when it names nothing we recognise. */
function classifyRun(words: string[], before: string): string | undefined {
  const joined = words.join(' ').replace(/\.$/, '');
  const last = words.at(-1)!.replace(/\.$/, '');
  if (words.length >= 2 && ORGANIZATION_SUFFIX.test(words.at(-1)!)) return 'organization';
  if (KNOWN_PLACES.has(joined)) return 'place';
  if (words.length >= 2 && (PLACE_FIRST_WORD.test(words[0]!) || PLACE_LAST_WORD.test(last))) return 'place';
  const blocked = words.some((word) => NOT_A_NAME.has(word.replace(/\.$/, '')) || ALL_CAPS.test(word));
  if (words.length === 1 && NOT_A_NAME.has(joined)) return undefined;
  if (words.length >= 2 && words.length <= 3 && !blocked && !words.some((word) => CAMEL_CASE.test(word))) {
    return 'person';
  }
  if (ORGANIZATION_AFTER.test(before)) return 'organization';
  if (words.length === 1 && CAMEL_CASE.test(joined)) return 'product';
  if (words.length === 1 && !blocked && PLACE_AFTER.test(before)) return 'place';
  return undefined;
}

function scanCapitalisedRuns(text: string, spans: Spans): void {
  for (const match of text.matchAll(CAPITALISED_RUN)) {
    let words = match[0].split(/\s+/);
    // A dotted word ("Ltd.", "Inc.") ends the name: what follows starts a new sentence.
    const dotted = words.findIndex((word) => word.endsWith('.'));
    if (dotted !== -1) words = words.slice(0, dotted + 1);
    let start = match.index;
    // Leading sentence words ("Our", "Hi", "Actually") are not part of the name; connectives at the end neither.
    while (words.length > 0 && NOT_A_NAME.has(words[0]!.replace(/\.$/, '')) && !ALL_CAPS.test(words[0]!)) {
      start = text.indexOf(words[1] ?? '', start + words[0]!.length);
      words = words.slice(1);
    }
    while (words.length > 0 && /^(?:of|de|van|von|&)$/.test(words.at(-1)!)) words = words.slice(0, -1);
    if (words.length === 0 || start < 0) continue;
    const name = words.join(' ').replace(/\.$/, '');
    const type = classifyRun(words, text.slice(Math.max(0, start - 24), start));
    if (type === undefined) continue;
    // Keep the legal-form dot ("Inc.") but not a sentence's full stop after other names.
    const kept =
      type === 'organization' && /(?:Inc|Ltd|Corp|Co)\.$/.test(words.join(' ')) ? `${name}.` : name;
    spans.add(start, start + kept.length, kept, type);
  }
}

/**
 * Entities in one text, by patterns: emails, phone numbers, amounts and percentages, dates and times,
 * addresses, then capitalised names (organisations by their legal form or industry word, places by a
 * gazetteer or a preposition, people by two or three capitalised words), then software by context.
 * Overlaps go to the first, more specific, pattern. In order of appearance.
 */
export function findEntities(text: string): EntitySpan[] {
  const spans = new Spans();
  scan(text, EMAIL, 'email', spans);
  scan(text, ADDRESS, 'place', spans);
  scan(text, AMOUNT, 'amount', spans);
  scan(text, DATE, 'date', spans, (name) => name !== 'May' && name !== 'March');
  scan(text, PHONE, 'phone', spans, isPhone);
  scanGroup(text, HONORIFIC, 'person', spans);
  scanGroup(text, PRODUCT_CONTEXT, 'product', spans);
  scanGroup(text, PRODUCT_AFTER_VERB, 'product', spans);
  scanCapitalisedRuns(text, spans);
  return spans.found.sort((a, b) => a.start - b.start);
}
