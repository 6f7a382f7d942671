import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCodePointEnd, prefixEndWithinBytes, previousCodePointStart, utf8ByteLength } from './utf8';

const encoder = new TextEncoder();
// Includes lone surrogates, which TextEncoder writes as the three bytes of U+FFFD.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('a', 'é', '中', '😀', '\ud800', '\udc00'), maxLength: 30 }),
);

describe('utf8', () => {
  it('measures the same byte length as TextEncoder', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
      }),
    );
  });

  it('finds the longest whole-code-point prefix within a byte budget', () => {
    fc.assert(
      fc.property(anyText, fc.nat(120), (text, maxBytes) => {
        const end = prefixEndWithinBytes(text, maxBytes);
        expect(encoder.encode(text.slice(0, end)).length).toBeLessThanOrEqual(maxBytes);
        if (end < text.length) {
          expect(encoder.encode(text.slice(0, nextCodePointEnd(text, end))).length).toBeGreaterThan(maxBytes);
        }
      }),
    );
  });

  it('steps over code points, never into a surrogate pair', () => {
    const text = 'a😀\ud800b';
    expect(nextCodePointEnd(text, 0)).toBe(1);
    expect(nextCodePointEnd(text, 1)).toBe(3);
    expect(nextCodePointEnd(text, 3)).toBe(4);
    expect(previousCodePointStart(text, 3)).toBe(1);
    expect(previousCodePointStart(text, 4)).toBe(3);
    expect(previousCodePointStart(text, 0)).toBe(0);
  });
});
