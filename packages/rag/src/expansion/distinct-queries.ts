/** Numbering and bullets models put before list items despite being asked for plain strings. */
const LIST_MARKER = /^\s*(?:\d{1,2}[.)]|[-*•])\s+/u;
const SURROUNDING_QUOTES = /^["'“”‘’`]+|["'“”‘’`]+$/gu;

/** The form two queries are compared in: case, spacing and final punctuation do not make a query new. */
export function queryComparisonKey(query: string): string {
  return query
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[\s?.!]+$/u, '');
}

/** A generated query cleaned of list markers, quotes and stray spacing. */
export function cleanGeneratedQuery(query: string): string {
  return query.replace(LIST_MARKER, '').trim().replace(SURROUNDING_QUOTES, '').replace(/\s+/gu, ' ').trim();
}

/**
 * Cleans generated queries and keeps the first of each group that compare equal, dropping empty ones and
 * any that merely restate the original query (the retriever searches that one anyway).
 */
export function distinctQueries(original: string, generated: readonly string[]): string[] {
  const seen = new Set([queryComparisonKey(original)]);
  const kept: string[] = [];
  for (const candidate of generated) {
    const query = cleanGeneratedQuery(candidate);
    const key = queryComparisonKey(query);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(query);
  }
  return kept;
}
