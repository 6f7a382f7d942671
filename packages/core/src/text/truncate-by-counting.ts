/**
 * The longest prefix of `text` that `countTokens` puts at or under `maxTokens`, found by binary search over
 * code points (so a surrogate pair is never split). Assumes that a longer prefix never counts fewer tokens.
 * Works with any counter (an estimate, a provider's tokenizer); a BPE tokenizer's own `truncate` uses
 * `truncateToTokens` in tokenizer/, which cuts at the encoder's token boundaries instead of searching.
 */
export function truncateByCounting(
  text: string,
  maxTokens: number,
  countTokens: (text: string) => number,
): string {
  if (countTokens(text) <= maxTokens) return text;
  const codePoints = Array.from(text);
  let fitting = 0;
  let tooLong = codePoints.length;
  while (tooLong - fitting > 1) {
    const middle = Math.floor((fitting + tooLong) / 2);
    if (countTokens(codePoints.slice(0, middle).join('')) <= maxTokens) fitting = middle;
    else tooLong = middle;
  }
  return codePoints.slice(0, fitting).join('');
}
