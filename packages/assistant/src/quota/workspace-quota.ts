import {
  ConfigurationError,
  type KeyValueStore,
  type LimitedIncrement,
  parseOptions,
  QuotaExceededError,
  type Scope,
} from '@neptune/core';
import { z } from 'zod';

/** One window's limits for a workspace. A limit left out is not counted. */
export interface QuotaLimit {
  /** The window in ms. Windows are fixed and aligned to the epoch: a 60,000 ms window resets each minute. */
  readonly windowMs: number;
  /** Requests admitted per window. */
  readonly requests?: number | undefined;
  /** Input plus output tokens per window. */
  readonly tokens?: number | undefined;
  /** Cost per window in micro-dollars (1,000,000 = $1), priced by `price`. */
  readonly costMicroUsd?: number | undefined;
}

/** A request's token usage, as the model reported it. */
export interface QuotaUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** How an admitted request ends: its reservation replaced by what it used, or given back. */
export interface QuotaAdmission {
  /**
   * `ok` with usage: the tokens and cost reserved are replaced by the actual ones. Not `ok` (no answer):
   * everything reserved is given back, the request included. Never throws.
   */
  settle(outcome: { readonly ok: boolean; readonly usage?: QuotaUsage | undefined }): Promise<void>;
}

/** Per-workspace limits on requests, tokens and cost, counted atomically in a key-value store. */
export interface WorkspaceQuota {
  /**
   * Reserves one request (and `reserve` tokens and cost) in every window, all or nothing. Throws a
   * `QuotaExceededError` when a limit would be passed (nothing is counted then), or the store's error
   * when it is down: the assistant lets the request through then, reported as degraded `quota`.
   */
  admit(scope: Scope): Promise<QuotaAdmission>;
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const limitSchema = z
  .object({
    windowMs: z
      .number()
      .int()
      .min(1_000, 'must be at least 1,000 ms')
      .max(400 * 86_400_000),
    requests: count.optional(),
    tokens: count.optional(),
    costMicroUsd: count.optional(),
  })
  .refine((limit) => limit.requests ?? limit.tokens ?? limit.costMicroUsd, {
    message: 'must set at least one of requests, tokens, costMicroUsd',
  });
const limitsSchema = z.array(limitSchema).min(1).max(8).readonly();

const optionsShape = {
  /** Where the counters live: `redisKeyValueStore()` or `upstashKeyValueStore()` to share them across instances. */
  store: z.custom<KeyValueStore>(
    (value) => typeof (value as KeyValueStore)?.incrementWithinLimits === 'function',
    'must be a KeyValueStore (memoryKeyValueStore, redisKeyValueStore, upstashKeyValueStore)',
  ),
  /** The limits, the same for every workspace, or per workspace (its plan). */
  limits: z.union([
    limitsSchema,
    z.custom<(scope: Scope) => readonly QuotaLimit[] | Promise<readonly QuotaLimit[]>>(
      (v) => typeof v === 'function',
    ),
  ]),
  /** The cost in micro-dollars of a request's tokens on your model. Needed for `costMicroUsd` limits. */
  price: z.custom<(usage: QuotaUsage) => number>((v) => typeof v === 'function').optional(),
  /**
   * What a request holds at admission, before its usage is known; replaced by the actual usage after
   * the answer. Default `{ tokens: 1, costMicroUsd: 1 }`: admitted while any budget is left.
   */
  reserve: z.object({ tokens: count.default(1), costMicroUsd: count.default(1) }).prefault({}),
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** What `createWorkspaceQuota` takes: where counters live, the limits, and how to price usage. */
export type WorkspaceQuotaOptions = z.input<typeof optionsSchema>;

type Measure = 'requests' | 'tokens' | 'costMicroUsd';
const MEASURES: readonly Measure[] = ['requests', 'tokens', 'costMicroUsd'];

interface Counter extends LimitedIncrement {
  readonly measure: Measure;
  readonly windowMs: number;
  readonly windowEndsAt: number;
}

function plural(measure: Measure, amount: number): string {
  if (measure === 'costMicroUsd') return `$${(amount / 1_000_000).toFixed(2)}`;
  return `${amount} ${measure === 'requests' ? 'requests' : 'tokens'}`;
}

/**
 * Per-workspace quotas on the key-value store the app already has. Admission is one atomic
 * `incrementWithinLimits` over every window's counters, so a burst of 1,000 requests against a limit of
 * 100 admits exactly 100 across all instances, and a refused request counts nothing. Tokens and cost are
 * known only after the answer: admission holds `reserve`, `settle` swaps it for the actual usage (a
 * request may therefore end a little past a token or cost limit; the next one is refused).
 */
export function createWorkspaceQuota(options: WorkspaceQuotaOptions): WorkspaceQuota {
  const settings = parseOptions(optionsSchema, options, 'createWorkspaceQuota options');
  const now = settings.now ?? Date.now;
  const { store, reserve } = settings;
  const checkPriced = (limits: readonly QuotaLimit[], where: string) => {
    if (settings.price !== undefined || limits.every((limit) => limit.costMicroUsd === undefined)) return;
    throw new ConfigurationError({
      message: `${where} sets a costMicroUsd limit, but createWorkspaceQuota has no price option: pass price(usage) returning the micro-dollars a request's tokens cost on your model.`,
    });
  };
  if (Array.isArray(settings.limits)) checkPriced(settings.limits, 'limits');

  async function limitsOf(scope: Scope): Promise<readonly QuotaLimit[]> {
    if (typeof settings.limits !== 'function') return settings.limits as readonly QuotaLimit[];
    const limits = parseOptions(
      limitsSchema,
      await settings.limits(scope),
      'createWorkspaceQuota limits(scope)',
    );
    checkPriced(limits, 'limits(scope)');
    return limits;
  }

  function countersFor(limits: readonly QuotaLimit[], at: number): Counter[] {
    return limits.flatMap((limit) => {
      const windowStart = Math.floor(at / limit.windowMs) * limit.windowMs;
      const windowEndsAt = windowStart + limit.windowMs;
      return MEASURES.flatMap((measure): Counter[] => {
        const max = limit[measure];
        if (max === undefined) return [];
        const by = measure === 'requests' ? 1 : measure === 'tokens' ? reserve.tokens : reserve.costMicroUsd;
        return [
          {
            key: `quota:${limit.windowMs}:${windowStart}:${measure}`,
            by,
            limit: max,
            // Kept a little past the window, so a late settle still finds its counter.
            ttlMs: windowEndsAt - at + 60_000,
            measure,
            windowMs: limit.windowMs,
            windowEndsAt,
          },
        ];
      });
    });
  }

  function refusal(scope: Scope, counters: readonly Counter[], values: readonly number[], at: number) {
    const exceeded = counters
      .map((counter, index) => ({ counter, used: values[index]! }))
      .filter(({ counter, used }) => used + counter.by > counter.limit);
    const retryAfterMs = Math.max(...exceeded.map(({ counter }) => counter.windowEndsAt - at));
    const described = exceeded
      .map(
        ({ counter, used }) =>
          `${plural(counter.measure, counter.limit)} per ${counter.windowMs / 1_000} s (${plural(counter.measure, used)} used)`,
      )
      .join('; ');
    return new QuotaExceededError({
      message: `Workspace ${JSON.stringify(scope.workspaceId)} is over its quota: ${described}. Try again in ${Math.ceil(retryAfterMs / 1_000)} s, or raise the limit.`,
      details: {
        workspaceId: scope.workspaceId,
        retryAfterMs,
        exceeded: exceeded.map(({ counter, used }) => ({
          measure: counter.measure,
          windowMs: counter.windowMs,
          limit: counter.limit,
          used,
        })),
      },
    });
  }

  return {
    async admit(scope) {
      const workspace = { workspaceId: scope.workspaceId };
      const at = now();
      const counters = countersFor(await limitsOf(scope), at);
      const result = await store.incrementWithinLimits(
        workspace,
        counters.map(({ key, by, limit, ttlMs }) => ({ key, by, limit, ttlMs })),
      );
      if (!result.applied) throw refusal(scope, counters, result.values, at);
      let settled = false;
      return {
        async settle({ ok, usage }) {
          if (settled) return;
          settled = true;
          const tokens = usage ? usage.inputTokens + usage.outputTokens : 0;
          const cost = usage && settings.price ? Math.round(settings.price(usage)) : 0;
          const actual: Record<Measure, number> = ok
            ? { requests: 1, tokens, costMicroUsd: cost }
            : { requests: 0, tokens: 0, costMicroUsd: 0 };
          const settledAt = now();
          await Promise.all(
            counters
              .filter(
                (counter) =>
                  counter.by !== actual[counter.measure] && settledAt < counter.windowEndsAt + 60_000,
              )
              .map((counter) =>
                store.increment(workspace, counter.key, {
                  by: actual[counter.measure] - counter.by,
                  ttlMs: Math.max(1, counter.windowEndsAt + 60_000 - settledAt),
                }),
              ),
          ).catch(() => undefined);
        },
      };
    },
  };
}
