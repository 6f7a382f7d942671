import { nextCodePointEnd, prefixEndWithinBytes, previousCodePointStart } from './utf8';

/** What truncation needs from an encoder. */
export interface TruncationEncoder {
  count(text: string): number;
  /** The first `limit` tokens of `text`, without encoding the rest. */
  firstTokens(text: string, limit: number): number[];
  tokenByteLength(token: number): number;
}

/** Where the bytes of the first `maxTokens` tokens end, rounded down to a whole code point. */
function tokenAlignedEnd(
  text: string,
  tokens: readonly number[],
  maxTokens: number,
  encoder: TruncationEncoder,
) {
  let bytes = 0;
  for (let index = 0; index < maxTokens && index < tokens.length; index++) {
    bytes += encoder.tokenByteLength(tokens[index]!);
  }
  return prefixEndWithinBytes(text, bytes);
}

/**
 * The longest prefix of `text` that encodes in at most `maxTokens` tokens, cut between code points so
 * that it never ends in half a character. Maximal in the sense that one more code point would not fit.
 * Costs about three encodings of the prefix, not of the whole text (except for a single unbroken run,
 * such as one very long word, which BPE encodes as a whole).
 */
export function truncateToTokens(text: string, maxTokens: number, encoder: TruncationEncoder): string {
  const head = encoder.firstTokens(text, maxTokens + 1);
  if (head.length <= maxTokens) return text;
  let end = tokenAlignedEnd(text, head, maxTokens, encoder);

  // BPE is not prefix-stable: a prefix encoded on its own can merge differently from the same bytes
  // inside the whole text, so the cut is verified, and cut again from its own tokens if it is over.
  while (end > 0 && encoder.count(text.slice(0, end)) > maxTokens) {
    const prefix = text.slice(0, end);
    const shorter = tokenAlignedEnd(prefix, encoder.firstTokens(prefix, maxTokens), maxTokens, encoder);
    end = shorter < end ? shorter : previousCodePointStart(text, end);
  }

  // Rounding down to a code point, or a better merge, can leave room for more of the text.
  while (end < text.length) {
    const next = nextCodePointEnd(text, end);
    if (encoder.count(text.slice(0, next)) > maxTokens) break;
    end = next;
  }
  return text.slice(0, end);
}
