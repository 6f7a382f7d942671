import { checkArgument } from '@neptune/core';
import { priceModelUsage, totalCost } from '../cost/model-cost';
import type { PriceTable } from '../cost/price-table';
import type { LogHistogram } from '../histogram/log-histogram';
import { experimentFigures } from './experiment-figures';
import { COUNTER, HISTOGRAM } from './metric-names';
import { MetricsAggregate } from './metrics-aggregate';
import type { RangeWindow } from './metrics-range';
import type { MetricsBucket } from './metrics-store';
import type {
  CacheKindFigures,
  FeedbackFigures,
  LatencyFigures,
  MetricsSummary,
  SeriesPoint,
  SuggestionFigures,
} from './metrics-summary';

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The count, average and 50th, 95th and 99th percentiles of a latency histogram, in ms. */
export function latencyFigures(histogram: LogHistogram | undefined): LatencyFigures {
  checkArgument(
    histogram === undefined || typeof (histogram as LogHistogram | null)?.quantile === 'function',
    'latencyFigures: histogram',
    'a LogHistogram or undefined',
    histogram,
  );
  if (histogram === undefined || histogram.count === 0)
    return { count: 0, averageMs: null, p50Ms: null, p95Ms: null, p99Ms: null };
  return {
    count: histogram.count,
    averageMs: histogram.mean() ?? null,
    p50Ms: histogram.quantile(0.5) ?? null,
    p95Ms: histogram.quantile(0.95) ?? null,
    p99Ms: histogram.quantile(0.99) ?? null,
  };
}

function cacheFigures(aggregate: MetricsAggregate): CacheKindFigures[] {
  const hits = aggregate.countersWithPrefix(COUNTER.cacheHit);
  const misses = aggregate.countersWithPrefix(COUNTER.cacheMiss);
  const stale = aggregate.countersWithPrefix(COUNTER.cacheStale);
  const errors = aggregate.countersWithPrefix(COUNTER.cacheError);
  const kinds = new Set([...hits.keys(), ...misses.keys(), ...stale.keys(), ...errors.keys()]);
  return [...kinds].sort().map((kind) => {
    const hitCount = hits.get(kind) ?? 0;
    const missCount = misses.get(kind) ?? 0;
    return {
      kind,
      hits: hitCount,
      misses: missCount,
      stale: stale.get(kind) ?? 0,
      errors: errors.get(kind) ?? 0,
      hitRate: ratio(hitCount, hitCount + missCount),
    };
  });
}

function modelCosts(aggregate: MetricsAggregate, prices: PriceTable) {
  const calls = aggregate.countersWithPrefix(COUNTER.modelCalls);
  const input = aggregate.countersWithPrefix(COUNTER.modelInputTokens);
  const cached = aggregate.countersWithPrefix(COUNTER.modelCachedInputTokens);
  const output = aggregate.countersWithPrefix(COUNTER.modelOutputTokens);
  const models = new Set([...calls.keys(), ...input.keys(), ...output.keys()]);
  return [...models].sort().map((model) =>
    priceModelUsage(prices, {
      model,
      calls: calls.get(model) ?? 0,
      inputTokens: input.get(model) ?? 0,
      cachedInputTokens: cached.get(model) ?? 0,
      outputTokens: output.get(model) ?? 0,
    }),
  );
}

function sumBy<T>(items: readonly T[], pick: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += pick(item);
  return total;
}

function seriesPoint(
  startMs: number,
  aggregate: MetricsAggregate | undefined,
  prices: PriceTable,
): SeriesPoint {
  const empty = aggregate === undefined;
  const figures = aggregate ?? new MetricsAggregate();
  const latency = empty ? undefined : figures.histograms.get(HISTOGRAM.requestDurationMs);
  const cache = cacheFigures(figures);
  const hits = sumBy(cache, (kind) => kind.hits);
  const costs = modelCosts(figures, prices);
  const searches = figures.counter(COUNTER.retrievalSearches);
  return {
    startMs,
    requests: figures.counter(COUNTER.requests),
    failedRequests: figures.counter(COUNTER.requestsFailed),
    latencyP50Ms: latency?.quantile(0.5) ?? null,
    latencyP95Ms: latency?.quantile(0.95) ?? null,
    cacheHitRate: ratio(hits, hits + sumBy(cache, (kind) => kind.misses)),
    tokens: sumBy(costs, (cost) => cost.inputTokens + cost.outputTokens),
    knownCostMicroUsd: totalCost(costs).knownCostMicroUsd,
    retrievalSearches: searches,
    retrievalAverageResults: ratio(figures.counter(COUNTER.retrievalResults), searches),
    errors: figures.counter(COUNTER.errors),
    satisfaction: ratio(figures.counter(COUNTER.feedbackPositive), figures.counter(COUNTER.feedbackRatings)),
    ratings: figures.counter(COUNTER.feedbackRatings),
    contextUtilisation: ratio(
      figures.counter(COUNTER.requestCitedPassages),
      figures.counter(COUNTER.requestPassagesMeasured),
    ),
  };
}

function suggestionFigures(aggregate: MetricsAggregate): SuggestionFigures {
  const shown = aggregate.countersWithPrefix(COUNTER.suggestionsShown);
  const accepted = aggregate.countersWithPrefix(COUNTER.suggestionsAccepted);
  const rejected = aggregate.countersWithPrefix(COUNTER.suggestionsRejected);
  const byKind = [...new Set([...shown.keys(), ...accepted.keys(), ...rejected.keys()])]
    .sort()
    .map((kind) => {
      const yes = accepted.get(kind) ?? 0;
      const no = rejected.get(kind) ?? 0;
      return {
        kind,
        shown: shown.get(kind) ?? 0,
        accepted: yes,
        rejected: no,
        acceptanceRate: ratio(yes, yes + no),
      };
    });
  const totalAccepted = sumBy(byKind, (kind) => kind.accepted);
  const totalRejected = sumBy(byKind, (kind) => kind.rejected);
  return {
    shown: sumBy(byKind, (kind) => kind.shown),
    accepted: totalAccepted,
    rejected: totalRejected,
    acceptanceRate: ratio(totalAccepted, totalAccepted + totalRejected),
    byKind,
  };
}

function feedbackFigures(aggregate: MetricsAggregate): FeedbackFigures {
  const ratings = aggregate.counter(COUNTER.feedbackRatings);
  const positive = aggregate.counter(COUNTER.feedbackPositive);
  const positiveByWorkspace = aggregate.countersWithPrefix(COUNTER.feedbackPositiveByWorkspace);
  return {
    ratings,
    positive,
    satisfaction: ratio(positive, ratings),
    averageScore: ratio(aggregate.counter(COUNTER.feedbackScoreMilli) / 1_000, ratings),
    byWorkspace: [...aggregate.countersWithPrefix(COUNTER.feedbackRatingsByWorkspace)]
      .sort(([, a], [, b]) => b - a)
      .slice(0, 50)
      .map(([workspaceId, count]) => ({
        workspaceId,
        ratings: count,
        satisfaction: ratio(positiveByWorkspace.get(workspaceId) ?? 0, count),
      })),
  };
}

function recordOf(counters: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counters].sort(([, a], [, b]) => b - a));
}

/**
 * Turns the buckets of a range into the figures the handlers and the dashboard show. Percentiles come
 * from the merged histograms of the whole range (never averages of per-bucket percentiles).
 */
export function summarizeMetrics(
  buckets: readonly MetricsBucket[],
  window: RangeWindow,
  prices: PriceTable,
): MetricsSummary {
  checkArgument(Array.isArray(buckets), 'summarizeMetrics: buckets', 'an array of MetricsBucket', buckets);
  checkArgument(
    typeof window === 'object' &&
      window !== null &&
      Number.isFinite(window.fromMs) &&
      Number.isFinite(window.toMs),
    'summarizeMetrics: window',
    'a RangeWindow (from rangeWindow)',
    window,
  );
  checkArgument(
    typeof prices === 'object' &&
      prices !== null &&
      typeof prices.models === 'object' &&
      prices.models !== null,
    'summarizeMetrics: prices',
    'a PriceTable ({ asOf, models })',
    prices,
  );
  const inRange = buckets.filter(
    (bucket) => bucket.startMs >= window.fromMs && bucket.startMs <= window.toMs,
  );
  const all = MetricsAggregate.combine(inRange.map((bucket) => bucket.aggregate));
  const byStart = new Map(inRange.map((bucket) => [bucket.startMs, bucket.aggregate]));
  const requests = all.counter(COUNTER.requests);
  const failed = all.counter(COUNTER.requestsFailed);
  const cacheByKind = cacheFigures(all);
  const hits = sumBy(cacheByKind, (kind) => kind.hits);
  const misses = sumBy(cacheByKind, (kind) => kind.misses);
  const costs = modelCosts(all, prices);
  const totals = totalCost(costs);
  const searches = all.counter(COUNTER.retrievalSearches);
  const tokensBefore = all.counter(COUNTER.contextTokensBefore);
  const savedByPruning = Math.max(0, tokensBefore - all.counter(COUNTER.contextTokensAfter));
  const slowByName = all.countersWithPrefix(COUNTER.databaseSlowQueriesByName);
  return {
    range: window.range,
    resolution: window.resolution,
    fromMs: window.fromMs,
    toMs: window.toMs,
    requests: {
      total: requests,
      failed,
      perHour: requests / window.hours,
      errorRate: ratio(failed, requests),
      latency: latencyFigures(all.histograms.get(HISTOGRAM.requestDurationMs)),
      timeToFirstToken: latencyFigures(all.histograms.get(HISTOGRAM.requestTimeToFirstTokenMs)),
      averageInputTokens: ratio(all.counter(COUNTER.requestInputTokens), requests),
      averageOutputTokens: ratio(all.counter(COUNTER.requestOutputTokens), requests),
      averagePassages: ratio(all.counter(COUNTER.requestPassages), requests),
      contextUtilisation: ratio(
        all.counter(COUNTER.requestCitedPassages),
        all.counter(COUNTER.requestPassagesMeasured),
      ),
      degraded: all.counter(COUNTER.requestsDegraded),
      degradedByPart: Object.fromEntries(all.countersWithPrefix(COUNTER.requestsDegradedByPart)),
    },
    cache: {
      hits,
      misses,
      stale: sumBy(cacheByKind, (kind) => kind.stale),
      errors: sumBy(cacheByKind, (kind) => kind.errors),
      hitRate: ratio(hits, hits + misses),
      byKind: cacheByKind,
    },
    database: {
      queries: all.counter(COUNTER.databaseQueries),
      slowQueries: all.counter(COUNTER.databaseSlowQueries),
      latency: latencyFigures(all.histograms.get(HISTOGRAM.databaseDurationMs)),
      slowestByName: [...slowByName]
        .sort(([, a], [, b]) => b - a)
        .slice(0, 10)
        .map(([name, slowQueries]) => ({ name, slowQueries })),
    },
    retrieval: {
      searches,
      averageResults: ratio(all.counter(COUNTER.retrievalResults), searches),
      emptyRate: ratio(all.counter(COUNTER.retrievalEmpty), searches),
      cachedRate: ratio(all.counter(COUNTER.retrievalCached), searches),
      latency: latencyFigures(all.histograms.get(HISTOGRAM.retrievalDurationMs)),
    },
    context: {
      gathers: all.counter(COUNTER.contextGathers),
      failedSources: all.counter(COUNTER.contextFailedSources),
      latency: latencyFigures(all.histograms.get(HISTOGRAM.contextGatherDurationMs)),
    },
    tokens: {
      input: sumBy(costs, (cost) => cost.inputTokens),
      cachedInput: sumBy(costs, (cost) => cost.cachedInputTokens),
      output: sumBy(costs, (cost) => cost.outputTokens),
      savedByPruning,
      savedByCache: all.counter(COUNTER.cacheTokensSaved),
      pruningRate: ratio(savedByPruning, tokensBefore),
    },
    cost: { pricesAsOf: prices.asOf, models: costs, ...totals },
    feedback: feedbackFigures(all),
    suggestions: suggestionFigures(all),
    experiments: experimentFigures(all, prices, latencyFigures),
    errors: {
      total: all.counter(COUNTER.errors),
      bySource: recordOf(all.countersWithPrefix(COUNTER.errorsBySource)),
      byCode: recordOf(all.countersWithPrefix(COUNTER.errorsByCode)),
    },
    series: window.bucketStarts.map((startMs) => seriesPoint(startMs, byStart.get(startMs), prices)),
  };
}
