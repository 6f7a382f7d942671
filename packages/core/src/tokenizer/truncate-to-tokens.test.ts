import { describe, expect, it } from 'vitest';
import { type TruncationEncoder, truncateToTokens } from './truncate-to-tokens';

/**
 * One token per ASCII character, except that a text ending in `x` costs one token more: the kind of
 * prefix instability real BPE can show, where a cut re-encodes to more tokens than it had in the whole.
 */
const unstableEncoder: TruncationEncoder = {
  count: (text) => text.length + (text.endsWith('x') ? 1 : 0),
  firstTokens: (text, limit) => Array.from(text.slice(0, limit), (character) => character.charCodeAt(0)),
  tokenByteLength: () => 1,
};

describe('truncateToTokens', () => {
  it('returns the text itself when it fits', () => {
    expect(truncateToTokens('abc', 3, unstableEncoder)).toBe('abc');
  });

  it('cuts again when the cut re-encodes to more tokens than the budget', () => {
    const result = truncateToTokens('abxcd', 3, unstableEncoder);
    expect(result).toBe('ab');
    expect(unstableEncoder.count(result)).toBeLessThanOrEqual(3);
  });

  it('grows the cut while one more code point still fits', () => {
    // The first three tokens cover 'abc', but this encoder packs two characters per token on re-encoding.
    const generousEncoder: TruncationEncoder = {
      ...unstableEncoder,
      count: (text) => Math.ceil(text.length / 2),
    };
    expect(truncateToTokens('abcdefgh', 3, generousEncoder)).toBe('abcdef');
  });
});
