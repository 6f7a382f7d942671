import { checkArgument, parseOptions } from '@neptune/core';
import { z } from 'zod';

/**
 * List prices in micro-dollars per million tokens (so $0.15 per 1M tokens is 150_000): integers, so that
 * cost is computed without floating-point drift. `cachedInputMicroUsdPerMillion` is omitted for models
 * that bill cached input at the full input rate (embeddings).
 */
export interface ModelPrice {
  readonly inputMicroUsdPerMillion: number;
  readonly cachedInputMicroUsdPerMillion?: number | undefined;
  readonly outputMicroUsdPerMillion: number;
}

/** Prices per model, and the day they were taken. */
export interface PriceTable {
  /** The day these prices were taken from the provider's price list (YYYY-MM-DD). */
  readonly asOf: string;
  /** Exact model ids. A dated snapshot (`gpt-4o-2024-08-06`) is priced as its base id when not listed. */
  readonly models: Readonly<Record<string, ModelPrice>>;
}

const dollars = (amount: number): number => Math.round(amount * 1_000_000);
const price = (input: number, cachedInput: number | undefined, output: number): ModelPrice => ({
  inputMicroUsdPerMillion: dollars(input),
  cachedInputMicroUsdPerMillion: cachedInput === undefined ? undefined : dollars(cachedInput),
  outputMicroUsdPerMillion: dollars(output),
});

/**
 * OpenAI's standard-tier list prices (USD per 1M tokens: input, cached input, output), as published on
 * openai.com/api/pricing. Batch and flex tiers are not modelled. Prices change: pass your own table (or
 * extend this one) to `createAdminHandlers({ prices })` and keep `asOf` honest.
 */
export const OPENAI_PRICES: PriceTable = {
  asOf: '2026-06-21',
  models: {
    'gpt-4o': price(2.5, 1.25, 10),
    'gpt-4o-mini': price(0.15, 0.075, 0.6),
    'gpt-4.1': price(2, 0.5, 8),
    'gpt-4.1-mini': price(0.4, 0.1, 1.6),
    'gpt-4.1-nano': price(0.1, 0.025, 0.4),
    'gpt-5': price(1.25, 0.125, 10),
    'gpt-5-mini': price(0.25, 0.025, 2),
    'gpt-5-nano': price(0.05, 0.005, 0.4),
    o1: price(15, 7.5, 60),
    'o1-mini': price(1.1, 0.55, 4.4),
    o3: price(2, 0.5, 8),
    'o3-mini': price(1.1, 0.55, 4.4),
    'o4-mini': price(1.1, 0.275, 4.4),
    'text-embedding-3-small': price(0.02, undefined, 0),
    'text-embedding-3-large': price(0.13, undefined, 0),
    'text-embedding-ada-002': price(0.1, undefined, 0),
  },
};

const microUsd = z
  .number()
  .int('must be a whole number of micro-dollars per 1M tokens ($0.15 is 150000)')
  .min(0);
const priceTableSchema = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-01'),
  models: z.record(
    z.string().min(1),
    z.object({
      inputMicroUsdPerMillion: microUsd,
      cachedInputMicroUsdPerMillion: microUsd.optional(),
      outputMicroUsdPerMillion: microUsd,
    }),
  ),
});

/** Validates a price table supplied by the app. */
export function parsePriceTable(table: unknown): PriceTable {
  return parseOptions(priceTableSchema, table, 'price table');
}

const SNAPSHOT_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/**
 * The price of a model id, or `undefined` when the table does not know it. Only an exact id or a dated
 * snapshot of a listed id matches; no prefix guessing, because `gpt-4o` priced as `gpt-4o-mini` (or the
 * reverse) would be silently wrong by 16x.
 */
/** `@neptune/core/offline`'s models (`extractiveChatModel`, `offlineEmbedder`) run in the process: they cost $0. */
const OFFLINE_MODEL = /^(?:extractive|neptune-hash-v\d+-\d+(?:-s\d+)?)$/;
const FREE: ModelPrice = { inputMicroUsdPerMillion: 0, outputMicroUsdPerMillion: 0 };

/**
 * The model's price: its own entry, else its base id's for a dated snapshot, free for Neptune's offline
 * models; undefined when none.
 */
export function findModelPrice(table: PriceTable, model: string): ModelPrice | undefined {
  checkArgument(
    typeof table === 'object' && table !== null && typeof table.models === 'object' && table.models !== null,
    'findModelPrice: table',
    'a PriceTable ({ asOf, models })',
    table,
  );
  checkArgument(typeof model === 'string', 'findModelPrice: model', 'a model id string', model);
  // Own entries only: a model named `constructor` or `toString` is not priced by Object.prototype.
  const own = (id: string) => (Object.hasOwn(table.models, id) ? table.models[id] : undefined);
  return (
    own(model) ?? own(model.replace(SNAPSHOT_SUFFIX, '')) ?? (OFFLINE_MODEL.test(model) ? FREE : undefined)
  );
}
