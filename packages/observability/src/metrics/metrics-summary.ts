import type { ModelCost } from '../cost/model-cost';
import type { ExperimentFigures } from './experiment-figures';
import type { MetricsRange } from './metrics-range';
import type { MetricsResolution } from './metrics-store';

/** Averages and percentiles of a latency histogram, in ms; `null` when nothing was recorded. */
export interface LatencyFigures {
  readonly count: number;
  readonly averageMs: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** The lookups of one cache kind over a range. */
export interface CacheKindFigures {
  readonly kind: string;
  readonly hits: number;
  readonly misses: number;
  readonly stale: number;
  readonly errors: number;
  /** hits / (hits + misses); stale answers are counted on their own. `null` with no lookups. */
  readonly hitRate: number | null;
}

/** One bucket of the range, for charts. Figures are `null` where the bucket had nothing to measure. */
export interface SeriesPoint {
  readonly startMs: number;
  readonly requests: number;
  readonly failedRequests: number;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly cacheHitRate: number | null;
  /** Model input + output tokens. */
  readonly tokens: number;
  readonly knownCostMicroUsd: number;
  readonly retrievalSearches: number;
  readonly retrievalAverageResults: number | null;
  readonly errors: number;
  /** Positive ratings over ratings; `null` with none. */
  readonly satisfaction: number | null;
  readonly ratings: number;
  /** Cited over included passages; `null` when no request reported it. */
  readonly contextUtilisation: number | null;
}

/** Memory's automation and follow-up-time suggestions, and what users answered. */
export interface SuggestionFigures {
  readonly shown: number;
  readonly accepted: number;
  readonly rejected: number;
  /** accepted / (accepted + rejected): the plan's "acceptance rate"; `null` with no answers. */
  readonly acceptanceRate: number | null;
  readonly byKind: ReadonlyArray<{
    readonly kind: string;
    readonly shown: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly acceptanceRate: number | null;
  }>;
}

/** Ratings of answers (`assistant.recordFeedback`). */
export interface FeedbackFigures {
  readonly ratings: number;
  /** Thumbs up, 4 or 5 stars. */
  readonly positive: number;
  /** positive / ratings: the plan's "user satisfaction", target 0.8. `null` with no ratings. */
  readonly satisfaction: number | null;
  /** Mean score on 0..1 (down 0, up 1, stars (n - 1) / 4). */
  readonly averageScore: number | null;
  /** Per workspace, most ratings first: in the all-workspaces view only (empty in a workspace's own). */
  readonly byWorkspace: ReadonlyArray<{
    readonly workspaceId: string;
    readonly ratings: number;
    readonly satisfaction: number | null;
  }>;
}

/**
 * What `summarizeMetrics` returns: the figures of a range: requests, cache, database, retrieval, context,
 * tokens and cost.
 */
export interface MetricsSummary {
  readonly range: MetricsRange;
  readonly resolution: MetricsResolution;
  readonly fromMs: number;
  readonly toMs: number;
  readonly requests: {
    readonly total: number;
    readonly failed: number;
    readonly perHour: number;
    /** failed / total; `null` with no requests. */
    readonly errorRate: number | null;
    readonly latency: LatencyFigures;
    readonly timeToFirstToken: LatencyFigures;
    readonly averageInputTokens: number | null;
    readonly averageOutputTokens: number | null;
    readonly averagePassages: number | null;
    /**
     * Context utilisation: passages the answers cited over passages included, for requests that report
     * it (the assistant does); `null` with none. The plan's target is 0.9.
     */
    readonly contextUtilisation: number | null;
    /** Requests answered without some part (a store or model down or slow): the part was left out, the request served. */
    readonly degraded: number;
    /** How many requests lacked each part: `{ memory: 3, knowledge: 1 }`. */
    readonly degradedByPart: Readonly<Record<string, number>>;
  };
  readonly cache: Omit<CacheKindFigures, 'kind'> & { readonly byKind: readonly CacheKindFigures[] };
  readonly database: {
    readonly queries: number;
    readonly slowQueries: number;
    readonly latency: LatencyFigures;
    /** Query labels with the most slow runs, most first. */
    readonly slowestByName: ReadonlyArray<{ readonly name: string; readonly slowQueries: number }>;
  };
  readonly retrieval: {
    readonly searches: number;
    readonly averageResults: number | null;
    readonly emptyRate: number | null;
    readonly cachedRate: number | null;
    readonly latency: LatencyFigures;
  };
  readonly context: {
    readonly gathers: number;
    readonly failedSources: number;
    readonly latency: LatencyFigures;
  };
  readonly tokens: {
    readonly input: number;
    readonly cachedInput: number;
    readonly output: number;
    readonly savedByPruning: number;
    readonly savedByCache: number;
    /** Share of assembled context tokens pruning removed; `null` when nothing was assembled. */
    readonly pruningRate: number | null;
  };
  readonly cost: {
    readonly pricesAsOf: string;
    readonly models: readonly ModelCost[];
    readonly knownCostMicroUsd: number;
    /** Models with usage and no price: the true total is unknown while this is non-empty. */
    readonly unpricedModels: readonly string[];
    readonly complete: boolean;
  };
  readonly feedback: FeedbackFigures;
  readonly suggestions: SuggestionFigures;
  /** Per experiment: each variant's figures, the control first, and each variant against it. */
  readonly experiments: readonly ExperimentFigures[];
  readonly errors: {
    readonly total: number;
    readonly bySource: Readonly<Record<string, number>>;
    readonly byCode: Readonly<Record<string, number>>;
  };
  readonly series: readonly SeriesPoint[];
}

/** A cheap shape check for the functions that take a summary at a public edge. */
export function isSummary(value: unknown): value is MetricsSummary {
  const candidate = value as Partial<MetricsSummary> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.range === 'string' &&
    typeof candidate.requests === 'object' &&
    candidate.requests !== null &&
    typeof candidate.cache === 'object' &&
    candidate.cache !== null
  );
}
