const APOSTROPHES = new Set([0x27, 0x2019, 0xff07]);

/**
 * Removes a trailing possessive `'s` (also with ’ or ＇, and `'S`), as Lucene's EnglishPossessiveFilter
 * does, so that "Neptune's" and "Neptune" index as the same word. Runs before lower-casing.
 */
export function stripEnglishPossessive(token: string): string {
  const length = token.length;
  if (length < 2) return token;
  const last = token.charCodeAt(length - 1);
  if ((last === 0x73 || last === 0x53) && APOSTROPHES.has(token.charCodeAt(length - 2))) {
    return token.slice(0, length - 2);
  }
  return token;
}
