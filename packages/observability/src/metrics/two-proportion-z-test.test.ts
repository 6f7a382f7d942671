import { describe, expect, it } from 'vitest';
import { normalCdf, twoProportionZTest } from './two-proportion-z-test';

describe('twoProportionZTest', () => {
  it('matches the textbook figures: 45 of 100 against 60 of 100', () => {
    // Pooled p = 0.525, standard error = sqrt(0.525 × 0.475 × (1/100 + 1/100)) = 0.07062.
    const { zScore, pValue } = twoProportionZTest(45, 100, 60, 100);
    expect(zScore).toBeCloseTo(2.124, 3);
    expect(pValue).toBeCloseTo(0.0337, 3);
    expect(twoProportionZTest(60, 100, 45, 100).zScore).toBeCloseTo(-2.124, 3);
  });

  it('has the normal CDF within 1e-6 at known points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
  });

  it('answers null where the test is undefined, and refuses counts that are not counts', () => {
    expect(twoProportionZTest(0, 0, 5, 10)).toEqual({ zScore: null, pValue: null });
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ zScore: null, pValue: null });
    expect(() => twoProportionZTest(11, 10, 1, 2)).toThrow(/successes ≤ trials/);
    expect(() => twoProportionZTest(-1, 10, 1, 2)).toThrow(/successes0/);
  });
});
