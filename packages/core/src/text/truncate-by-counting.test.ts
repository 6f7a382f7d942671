import { describe, expect, it } from 'vitest';
import { truncateByCounting } from './truncate-by-counting';

describe('truncateByCounting', () => {
  it('keeps the longest prefix that fits', () => {
    expect(truncateByCounting('abcdefghij', 4, (text) => text.length)).toBe('abcd');
    expect(truncateByCounting('short', 10, (text) => text.length)).toBe('short');
  });

  it('never splits a surrogate pair', () => {
    // Each emoji is two UTF-16 units: a cut after five units would leave half of the third one.
    expect(truncateByCounting('😀😀😀', 5, (text) => text.length)).toBe('😀😀');
  });
});
