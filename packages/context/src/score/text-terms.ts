import { STOPWORDS } from './stopwords';

const WORD = /[\p{L}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included.
const ASCII = /^[\u0000-\u007f]*$/;

/**
 * The terms of a text, as scoring compares them: accents folded, lower case, stopwords and one-letter
 * words dropped, and a light plural stem ("tasks" → "task", "companies" → "company"). Deliberately
 * simple: it runs on every item of every request, and proper nouns (the terms that matter most when a
 * user names a deal or a person) need no stemming.
 */
export function textTerms(text: string): string[] {
  // Most app text is ASCII, which needs no accent folding: skipping it halves the cost per item.
  const folded = (
    ASCII.test(text) ? text : text.normalize('NFKD').replace(COMBINING_MARKS, '')
  ).toLowerCase();
  const terms: string[] = [];
  for (const match of folded.matchAll(WORD)) {
    const word = match[0];
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ches|shes|sses|xes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
