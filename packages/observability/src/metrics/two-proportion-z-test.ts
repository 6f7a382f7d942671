import { checkArgument } from '@neptune/core';

/** The result of a two-proportion z-test: the z score and its two-sided p-value. */
export interface TwoProportionTest {
  /** (p1 - p0) / pooled standard error; `null` when it is undefined (no variance, or an empty group). */
  readonly zScore: number | null;
  /** Two-sided p-value; `null` with `zScore`. */
  readonly pValue: number | null;
}

/** The standard normal CDF, from erf (Abramowitz and Stegun 7.1.26; error under 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Two-proportion z-test with a pooled variance: is the share of successes in group 1 (`successes1` of
 * `trials1`) different from group 0's? Valid when each group has about five successes and five failures
 * or more; callers hold back a verdict below that.
 */
export function twoProportionZTest(
  successes0: number,
  trials0: number,
  successes1: number,
  trials1: number,
): TwoProportionTest {
  for (const [name, value] of Object.entries({ successes0, trials0, successes1, trials1 })) {
    checkArgument(
      Number.isInteger(value) && value >= 0,
      `twoProportionZTest: ${name}`,
      'a count (integer ≥ 0)',
      value,
    );
  }
  checkArgument(successes0 <= trials0 && successes1 <= trials1, 'twoProportionZTest', 'successes ≤ trials', {
    successes0,
    trials0,
    successes1,
    trials1,
  });
  if (trials0 === 0 || trials1 === 0) return { zScore: null, pValue: null };
  const pooled = (successes0 + successes1) / (trials0 + trials1);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trials0 + 1 / trials1));
  if (standardError === 0) return { zScore: null, pValue: null };
  const zScore = (successes1 / trials1 - successes0 / trials0) / standardError;
  return { zScore, pValue: 2 * (1 - normalCdf(Math.abs(zScore))) };
}
