import { or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

const MAX_NAMES = 5;
const MAX_WORDS = 8;
// Capitalized because they start a sentence, not because they name something.
const SENTENCE_WORDS = new Set(
  'What When Where Who Whom Why How Which Can Could Should Would Will Please Show Tell Give List Find Any Anything Also The And Are Does Did Have Has Our Today Tomorrow This That Then Prep'.split(
    ' ',
  ),
);
const COMMON_WORDS = new Set(
  'about after again also anything before being could does doing done first from have into just later like more most much need should some still than that their them then there these they this today tomorrow were what when where which while with would your'.split(
    ' ',
  ),
);

const escapeLike = (word: string) => word.replace(/[%_\\]/g, '\\$&');

/**
 * What a search takes from the question: `names`, its capitalized words ("Acme", "Jane"), which decide
 * whether a row matches at all, and `words`, its other words of four letters or more ("renewal"), which
 * only rank the matches. LIKE-escaped.
 */
export function searchTerms(query: string): { names: string[]; words: string[] } {
  const names = [...new Set(query.match(/\b\p{Lu}[\p{L}\p{N}'-]{2,}/gu) ?? [])]
    .filter((word) => !SENTENCE_WORDS.has(word))
    .slice(0, MAX_NAMES);
  const words = [...new Set(query.match(/\b\p{Ll}[\p{L}\p{N}'-]{3,}/gu) ?? [])]
    .filter((word) => !COMMON_WORDS.has(word))
    .slice(0, MAX_WORDS);
  return { names: names.map(escapeLike), words: words.map(escapeLike) };
}

/** How many of the terms a row mentions in these columns, case-insensitively: the best match sorts first. */
export function matchCount(terms: readonly string[], columns: readonly PgColumn[]): SQL {
  if (terms.length === 0) return sql`0`;
  const parts = terms.map(
    (term) => sql`(${or(...columns.map((column) => sql`${column} ILIKE ${`%${term}%`}`))})::int`,
  );
  return sql.join(parts, sql` + `);
}
