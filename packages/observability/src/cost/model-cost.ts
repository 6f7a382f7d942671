import { checkArgument } from '@neptune/core';
import { findModelPrice, type PriceTable } from './price-table';

/** One model's calls and tokens over a range. */
export interface ModelUsage {
  readonly model: string;
  readonly calls: number;
  /** All input tokens, cached ones included (as providers report them). */
  readonly inputTokens: number;
  /** The part of `inputTokens` served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
}

/** A model's usage with its cost from the price table. */
export interface ModelCost extends ModelUsage {
  /** Cost in micro-dollars, rounded once; `null` when the model is not in the price table (never 0). */
  readonly costMicroUsd: number | null;
  readonly priced: boolean;
}

const MILLION = 1_000_000n;

/**
 * Prices one model's usage: uncached input at the input rate, cached input at the cached rate (the input
 * rate when the model has none), output at the output rate. Products are taken in BigInt in
 * micro-dollar-millionths and rounded half up once, so sums of many calls never drift.
 */
export function priceModelUsage(table: PriceTable, usage: ModelUsage): ModelCost {
  checkArgument(
    typeof usage === 'object' &&
      usage !== null &&
      typeof usage.model === 'string' &&
      Number.isFinite(usage.inputTokens) &&
      Number.isFinite(usage.outputTokens) &&
      Number.isFinite(usage.cachedInputTokens),
    'priceModelUsage: usage',
    '{ model, inputTokens, cachedInputTokens, outputTokens } with finite token counts',
    usage,
  );
  const price = findModelPrice(table, usage.model);
  if (price === undefined) return { ...usage, costMicroUsd: null, priced: false };
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const cachedRate = price.cachedInputMicroUsdPerMillion ?? price.inputMicroUsdPerMillion;
  const scaled =
    BigInt(uncached) * BigInt(price.inputMicroUsdPerMillion) +
    BigInt(cached) * BigInt(cachedRate) +
    BigInt(usage.outputTokens) * BigInt(price.outputMicroUsdPerMillion);
  return { ...usage, costMicroUsd: Number((scaled + MILLION / 2n) / MILLION), priced: true };
}

/** What `totalCost` returns: the cost of the priced models, and which models had no price. */
export interface CostTotals {
  /** Sum over priced models, in micro-dollars. */
  readonly knownCostMicroUsd: number;
  /** Models with usage but no price: their cost is unknown, and so is the true total. */
  readonly unpricedModels: readonly string[];
  /** True when every model with usage was priced, so `knownCostMicroUsd` is the whole cost. */
  readonly complete: boolean;
}

/** Adds up the models' costs, in micro-dollars; models without a price are listed, not counted as free. */
export function totalCost(costs: readonly ModelCost[]): CostTotals {
  checkArgument(
    Array.isArray(costs),
    'totalCost: costs',
    'an array of ModelCost (from priceModelUsage)',
    costs,
  );
  let knownCostMicroUsd = 0;
  const unpricedModels: string[] = [];
  for (const cost of costs) {
    if (cost.costMicroUsd === null) unpricedModels.push(cost.model);
    else knownCostMicroUsd += cost.costMicroUsd;
  }
  return { knownCostMicroUsd, unpricedModels, complete: unpricedModels.length === 0 };
}
