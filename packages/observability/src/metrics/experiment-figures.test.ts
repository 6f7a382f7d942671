import { describe, expect, it } from 'vitest';
import { OPENAI_PRICES } from '../cost/price-table';
import { experimentFigures } from './experiment-figures';
import { experimentCounter } from './metric-names';
import { MetricsAggregate } from './metrics-aggregate';
import { latencyFigures } from './summarize-metrics';

/** An aggregate holding two variants' requests and ratings. */
function aggregate(
  control: [ratings: number, positive: number],
  treatment: [number, number],
): MetricsAggregate {
  const figures = new MetricsAggregate();
  for (const [variant, [ratings, positive]] of [
    ['control', control],
    ['new', treatment],
  ] as const) {
    const key = `test/${variant}`;
    figures.increment(experimentCounter('requests', key), Math.max(ratings, 1));
    if (ratings > 0) figures.increment(experimentCounter('ratings', key), ratings);
    if (positive > 0) figures.increment(experimentCounter('positive', key), positive);
  }
  return figures;
}

const verdict = (control: [number, number], treatment: [number, number]) =>
  experimentFigures(aggregate(control, treatment), OPENAI_PRICES, latencyFigures)[0]!.comparisons[0]!;

describe('experiment verdicts', () => {
  it("applies the plan's rule: roll out above +20% when significant", () => {
    expect(verdict([100, 50], [100, 75])).toMatchObject({
      verdict: 'roll-out',
      control: 'control',
      variant: 'new',
    });
  });

  it('keeps the control when the variant is significantly worse', () => {
    expect(verdict([100, 75], [100, 50]).verdict).toBe('keep-control');
  });

  it('calls a significant gain of 20% or less below the threshold', () => {
    // 70% against 80% is +14%: significant with 1,000 ratings each, under the rule's 20%.
    expect(verdict([1_000, 700], [1_000, 800])).toMatchObject({ verdict: 'below-threshold' });
    expect(verdict([1_000, 700], [1_000, 800]).lift).toBeCloseTo(1 / 7);
  });

  it('withholds a verdict when the difference is not significant or the ratings are too few', () => {
    expect(verdict([40, 20], [40, 24]).verdict).toBe('inconclusive');
    expect(verdict([9, 1], [9, 9]).verdict).toBe('too-few-ratings');
  });
});
