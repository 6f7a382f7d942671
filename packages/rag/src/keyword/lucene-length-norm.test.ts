import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLengthNorm, encodeLengthNorm } from './lucene-length-norm';

describe('Lucene one-byte length norms', () => {
  it('stores lengths up to 39 exactly', () => {
    for (let length = 0; length < 40; length++) {
      expect(encodeLengthNorm(length)).toBe(length);
      expect(decodeLengthNorm(encodeLengthNorm(length))).toBe(length);
    }
  });

  it('rounds longer lengths down to 4 significant bits above 24', () => {
    // 24 + 17 = 24 + 0b10001: the last bit is lost.
    expect(decodeLengthNorm(encodeLengthNorm(41))).toBe(40);
    // 24 + 100 = 24 + 0b1100100 keeps 0b1100000 = 96.
    expect(decodeLengthNorm(encodeLengthNorm(124))).toBe(120);
    expect(decodeLengthNorm(encodeLengthNorm(300))).toBe(280);
  });

  it('uses the whole byte: the largest length encodes to 255', () => {
    expect(encodeLengthNorm(0x7fffffff)).toBe(255);
  });

  it('never rounds up, never loses more than an eighth, and keeps order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 0, max: 2 ** 30 }), (a, b) => {
        const decoded = decodeLengthNorm(encodeLengthNorm(a));
        expect(decoded).toBeLessThanOrEqual(a);
        expect(a - decoded).toBeLessThanOrEqual(Math.max(0, (a - 24) / 8));
        if (a <= b) expect(encodeLengthNorm(a)).toBeLessThanOrEqual(encodeLengthNorm(b));
      }),
    );
  });
});
