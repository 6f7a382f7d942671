import { describe, expect, it } from 'vitest';
import { estimateTokens } from './estimate-tokens';

describe('estimateTokens', () => {
  it('counts UTF-8 bytes, so non-Latin text is not underestimated', () => {
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(2);
    expect(estimateTokens('日本語')).toBe(3); // nine bytes
  });
});
