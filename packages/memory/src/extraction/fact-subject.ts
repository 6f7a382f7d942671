/**
 * Subjects say what a fact is about, so that a newer fact on the same subject supersedes the older one.
 * Three shapes: a noun phrase (`budget`, `migration deadline`), a verb and its object's head
 * (`hire:agents`), and `statement:…` for facts without a recognisable subject, which never supersede.
 */

const DETERMINERS = new Set([
  'the',
  'a',
  'an',
  'our',
  'my',
  'their',
  'his',
  'her',
  'its',
  'your',
  'this',
  'that',
]);
/** Words that date a phrase rather than name it: "the on-call engineer this week" is the on-call engineer. */
const TIME_WORDS = new Set([
  'this',
  'next',
  'last',
  'week',
  'month',
  'quarter',
  'year',
  'today',
  'now',
  'currently',
  'still',
  'new',
]);
const TRAILING_CONNECTIVES = new Set(['of', 'to', 'and', 'is', 'are', 'was', 'were', 'will', 'be']);
/** Prepositions that end the naming part of a phrase: "the target for next year" is the target. */
const QUALIFIER_START = new Set([
  'for',
  'in',
  'on',
  'at',
  'by',
  'from',
  'with',
  'during',
  'until',
  'if',
  'when',
]);

/** Lower-case words of a noun phrase without determiners, time words or dangling prepositions. */
export function nounPhraseSubject(phrase: string): string {
  const all = phrase
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'&$€£%.-]/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '');
  const qualifier = all.findIndex((word, index) => index > 0 && QUALIFIER_START.has(word));
  const words = (qualifier === -1 ? all : all.slice(0, qualifier)).filter(
    (word) => !DETERMINERS.has(word) && !TIME_WORDS.has(word),
  );
  while (words.length > 0 && TRAILING_CONNECTIVES.has(words.at(-1)!)) words.pop();
  return words.join(' ');
}

/** A subject for a fact with no recognisable subject: unique to its wording, so it replaces nothing. */
export function statementSubject(text: string): string {
  return `statement:${text.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

/** Normalises a subject given by a model or a caller: lower case, single spaces. */
export function normalizeSubject(subject: string): string {
  return subject.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * True when a fact with subject `newer` replaces one with subject `older`: the same subject, or a noun
 * phrase and its head ("deadline" and "migration deadline"). Statements replace nothing.
 */
export function subjectsMatch(newer: string, older: string): boolean {
  const a = normalizeSubject(newer);
  const b = normalizeSubject(older);
  if (a === '' || b === '') return false;
  if (a === b) return !a.startsWith('statement:');
  if (a.includes(':') || b.includes(':')) return false;
  return a.endsWith(` ${b}`) || b.endsWith(` ${a}`);
}
