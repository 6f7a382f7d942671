import { ConfigurationError } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { priceModelUsage, totalCost } from './model-cost';
import { OPENAI_PRICES, parsePriceTable } from './price-table';

const usage = (model: string, inputTokens: number, cachedInputTokens: number, outputTokens: number) => ({
  model,
  calls: 1,
  inputTokens,
  cachedInputTokens,
  outputTokens,
});

describe('cost against hand-computed fixtures', () => {
  it('gpt-4o-mini: 1,200,000 input of which 400,000 cached, 300,000 output', () => {
    // uncached 800,000 × $0.15/1M = $0.120; cached 400,000 × $0.075/1M = $0.030; output 300,000 × $0.60/1M = $0.180
    expect(
      priceModelUsage(OPENAI_PRICES, usage('gpt-4o-mini', 1_200_000, 400_000, 300_000)).costMicroUsd,
    ).toBe(330_000);
  });

  it('gpt-4o: 12,345 input of which 1,024 cached, 678 output, rounded once to the micro-dollar', () => {
    // 11,321 × 2.50 = 28,302.5; 1,024 × 1.25 = 1,280; 678 × 10 = 6,780  (micro-dollars) → 36,362.5 → 36,363
    expect(priceModelUsage(OPENAI_PRICES, usage('gpt-4o', 12_345, 1_024, 678)).costMicroUsd).toBe(36_363);
  });

  it('gpt-4.1-nano prices cached input at a quarter of input', () => {
    // 0 uncached; 1,000,000 × $0.025 = $0.025; 0 output
    expect(priceModelUsage(OPENAI_PRICES, usage('gpt-4.1-nano', 1_000_000, 1_000_000, 0)).costMicroUsd).toBe(
      25_000,
    );
  });

  it('an embedding model without a cached rate bills cached input at the input rate', () => {
    // 3,000,000 × $0.02/1M = $0.06, cached or not
    expect(
      priceModelUsage(OPENAI_PRICES, usage('text-embedding-3-small', 3_000_000, 1_000_000, 0)).costMicroUsd,
    ).toBe(60_000);
  });

  it('prices a dated snapshot as its base model, but never guesses by prefix', () => {
    expect(priceModelUsage(OPENAI_PRICES, usage('gpt-4o-2024-08-06', 1_000_000, 0, 0)).costMicroUsd).toBe(
      2_500_000,
    );
    expect(
      priceModelUsage(OPENAI_PRICES, usage('gpt-4o-mini-2024-07-18', 1_000_000, 0, 0)).costMicroUsd,
    ).toBe(150_000);
    expect(
      priceModelUsage(OPENAI_PRICES, usage('gpt-4o-audio-preview', 1_000, 0, 0)).costMicroUsd,
    ).toBeNull();
  });

  it('reports an unknown model as unknown, never $0, and the total as incomplete', () => {
    const costs = [
      priceModelUsage(OPENAI_PRICES, usage('gpt-4o-mini', 1_000_000, 0, 0)),
      priceModelUsage(OPENAI_PRICES, usage('my-finetune', 5_000, 0, 500)),
    ];
    expect(costs[1]).toMatchObject({ costMicroUsd: null, priced: false, inputTokens: 5_000 });
    expect(totalCost(costs)).toEqual({
      knownCostMicroUsd: 150_000,
      unpricedModels: ['my-finetune'],
      complete: false,
    });
  });

  it("prices @neptune/core/offline's models at $0, not unknown, in any table", async () => {
    const { extractiveChatModel, offlineEmbedder } = await import('@neptune/core/offline');
    const table = parsePriceTable({ asOf: '2026-01-01', models: {} });
    const costs = [
      extractiveChatModel().model,
      offlineEmbedder().model,
      offlineEmbedder({ dimensions: 64 }).model,
    ].map((model) => priceModelUsage(table, usage(model, 10_000, 0, 500)));
    for (const cost of costs) expect(cost).toMatchObject({ costMicroUsd: 0, priced: true });
    expect(totalCost(costs)).toEqual({ knownCostMicroUsd: 0, unpricedModels: [], complete: true });
    expect(priceModelUsage(table, usage('extractive-v2', 1, 0, 1)).priced).toBe(false);
  });

  it('does not drift over a billion tokens (exact integer arithmetic)', () => {
    // 1,000,000,000 × $60/1M = $60,000 = 60,000,000,000 micro-dollars, beyond float-exact micro-cent sums
    expect(priceModelUsage(OPENAI_PRICES, usage('o1', 0, 0, 1_000_000_000)).costMicroUsd).toBe(
      60_000_000_000,
    );
  });

  it('refuses a price table with fractional micro-dollars, naming the field', () => {
    expect(() =>
      parsePriceTable({
        asOf: '2026-11-01',
        models: { x: { inputMicroUsdPerMillion: 0.15, outputMicroUsdPerMillion: 1 } },
      }),
    ).toThrow(ConfigurationError);
    expect(() => parsePriceTable({ asOf: 'today', models: {} })).toThrow(/asOf/);
  });
});
