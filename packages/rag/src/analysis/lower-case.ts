/** Characters whose JavaScript lower case differs from Java's `Character.toLowerCase`, which Lucene uses. */
const JAVA_DIFFERENCES = /[\u0130\u03a3]/;

/**
 * Lower-cases one character at a time, as Lucene's LowerCaseFilter does. `String#toLowerCase` agrees
 * except for İ (U+0130, which it turns into two characters) and a word-final Σ (which it turns into ς),
 * so those two take the slow path.
 */
export function lowerCaseToken(token: string): string {
  if (!JAVA_DIFFERENCES.test(token)) return token.toLowerCase();
  let result = '';
  for (const character of token) {
    result += character === '\u0130' ? 'i' : character.toLowerCase();
  }
  return result;
}
