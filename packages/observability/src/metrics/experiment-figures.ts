import { priceModelUsage, totalCost } from '../cost/model-cost';
import type { PriceTable } from '../cost/price-table';
import { COUNTER, experimentCounter, HISTOGRAM } from './metric-names';
import type { MetricsAggregate } from './metrics-aggregate';
import type { LatencyFigures } from './metrics-summary';
import { twoProportionZTest } from './two-proportion-z-test';

/** What one variant's requests cost and earned: latency, ratings, utilisation, tokens and cost. */
export interface VariantFigures {
  readonly id: string;
  readonly requests: number;
  readonly failed: number;
  readonly latency: LatencyFigures;
  readonly ratings: number;
  readonly positive: number;
  readonly satisfaction: number | null;
  readonly contextUtilisation: number | null;
  /** Model input + output tokens per request. */
  readonly averageTokens: number | null;
  readonly knownCostMicroUsd: number;
  /** Whether every model the variant used has a price. */
  readonly costComplete: boolean;
  readonly costPerRequestMicroUsd: number | null;
}

/**
 * The plan's rollout rule on satisfaction: `roll-out` when a variant is better than the control by more
 * than `minimumLift` (20%) relative and the difference is significant (p < 0.05); `keep-control` when it is
 * significantly worse; `below-threshold` when significantly better by less; `inconclusive` when not
 * significant; `too-few-ratings` under 10 ratings per group.
 */
export type ExperimentVerdict =
  | 'roll-out'
  | 'keep-control'
  | 'below-threshold'
  | 'inconclusive'
  | 'too-few-ratings';

/** A variant against the control: the lift in satisfaction, its significance, and the roll-out verdict. */
export interface VariantComparison {
  readonly variant: string;
  readonly control: string;
  /** (satisfaction - control's) / control's; `null` when the control has none. */
  readonly lift: number | null;
  readonly zScore: number | null;
  readonly pValue: number | null;
  readonly verdict: ExperimentVerdict;
}

/** One experiment's figures: each variant's, and each variant compared with the control. */
export interface ExperimentFigures {
  readonly id: string;
  /** The control first (the variant named `control`, else the one with most requests). */
  readonly variants: readonly VariantFigures[];
  readonly comparisons: readonly VariantComparison[];
}

export const MINIMUM_LIFT = 0.2;
export const SIGNIFICANCE = 0.05;
export const MINIMUM_RATINGS = 10;

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function variantFigures(
  aggregate: MetricsAggregate,
  key: string,
  id: string,
  prices: PriceTable,
  latencyOf: (histogram: ReturnType<MetricsAggregate['histograms']['get']>) => LatencyFigures,
): VariantFigures {
  const counter = (name: string) => aggregate.counter(experimentCounter(name, key));
  const requests = counter('requests');
  const ratings = counter('ratings');
  const positive = counter('positive');
  const calls = aggregate.countersWithPrefix(experimentCounter('model-calls', key, ''));
  const input = aggregate.countersWithPrefix(experimentCounter('model-input', key, ''));
  const cached = aggregate.countersWithPrefix(experimentCounter('model-cached', key, ''));
  const output = aggregate.countersWithPrefix(experimentCounter('model-output', key, ''));
  const costs = [...new Set([...calls.keys(), ...input.keys(), ...output.keys()])].sort().map((model) =>
    priceModelUsage(prices, {
      model,
      calls: calls.get(model) ?? 0,
      inputTokens: input.get(model) ?? 0,
      cachedInputTokens: cached.get(model) ?? 0,
      outputTokens: output.get(model) ?? 0,
    }),
  );
  const totals = totalCost(costs);
  const tokens = costs.reduce((sum, cost) => sum + cost.inputTokens + cost.outputTokens, 0);
  return {
    id,
    requests,
    failed: counter('failed'),
    latency: latencyOf(aggregate.histograms.get(experimentCounter(HISTOGRAM.requestDurationMs, key))),
    ratings,
    positive,
    satisfaction: ratio(positive, ratings),
    contextUtilisation: ratio(counter('cited'), counter('passages-measured')),
    averageTokens: ratio(tokens, requests),
    knownCostMicroUsd: totals.knownCostMicroUsd,
    costComplete: totals.complete,
    costPerRequestMicroUsd: ratio(totals.knownCostMicroUsd, requests),
  };
}

function compare(control: VariantFigures, variant: VariantFigures): VariantComparison {
  const { zScore, pValue } = twoProportionZTest(
    control.positive,
    control.ratings,
    variant.positive,
    variant.ratings,
  );
  const lift =
    control.satisfaction === null || control.satisfaction === 0 || variant.satisfaction === null
      ? null
      : (variant.satisfaction - control.satisfaction) / control.satisfaction;
  let verdict: ExperimentVerdict;
  if (control.ratings < MINIMUM_RATINGS || variant.ratings < MINIMUM_RATINGS) verdict = 'too-few-ratings';
  else if (pValue === null || pValue >= SIGNIFICANCE) verdict = 'inconclusive';
  else if ((zScore ?? 0) < 0) verdict = 'keep-control';
  else verdict = lift === null || lift > MINIMUM_LIFT ? 'roll-out' : 'below-threshold';
  return { variant: variant.id, control: control.id, lift, zScore, pValue, verdict };
}

/** Per experiment and variant: latency, satisfaction, utilisation, tokens, cost; each variant against the control. */
export function experimentFigures(
  aggregate: MetricsAggregate,
  prices: PriceTable,
  latencyOf: (histogram: ReturnType<MetricsAggregate['histograms']['get']>) => LatencyFigures,
): ExperimentFigures[] {
  const byExperiment = new Map<string, string[]>();
  for (const key of aggregate.countersWithPrefix(COUNTER.experimentPrefix + 'requests.').keys()) {
    const separator = key.indexOf('/');
    if (separator <= 0) continue;
    const experiment = key.slice(0, separator);
    byExperiment.set(experiment, [...(byExperiment.get(experiment) ?? []), key.slice(separator + 1)]);
  }
  return [...byExperiment]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, variantIds]) => {
      const variants = variantIds.map((variant) =>
        variantFigures(aggregate, `${id}/${variant}`, variant, prices, latencyOf),
      );
      variants.sort((a, b) =>
        a.id === 'control'
          ? -1
          : b.id === 'control'
            ? 1
            : b.requests - a.requests || a.id.localeCompare(b.id),
      );
      const [control, ...others] = variants;
      return { id, variants, comparisons: others.map((variant) => compare(control!, variant)) };
    });
}
