import { checkArgument } from '@neptune/core';
import { isSummary, type MetricsSummary } from './metrics-summary';

/** The ids of the targets the summary checks the figures against (override them by id). */
export const TARGET_IDS = [
  'response-time-average',
  'response-time-p95',
  'context-fetch-p95',
  'retrieval-latency-p95',
  'cache-hit-rate',
  'token-reduction',
  'error-rate',
  'satisfaction',
  'context-utilisation',
  'suggestion-acceptance',
] as const;
/** The id of a performance target. */
export type TargetId = (typeof TARGET_IDS)[number];

interface TargetDefinition {
  readonly label: string;
  readonly unit: 'ms' | 'ratio';
  /** `at-most`: the actual must not exceed the target; `at-least`: it must reach it. */
  readonly comparison: 'at-most' | 'at-least';
  readonly defaultValue: number;
  readonly actual: (summary: MetricsSummary) => number | null;
}

/**
 * The targets figures are held against. The first three and the cache and token figures come from the
 * optimisation plan (response < 2 s, context fetch < 500 ms, cache hit rate > 70%, 30% fewer tokens), and
 * so do satisfaction (80% of ratings positive) and context utilisation (90% of included passages cited);
 * p95 response, retrieval p95 and error rate are Neptune's defaults. Override any with `targets`.
 */
export const TARGETS: Readonly<Record<TargetId, TargetDefinition>> = {
  'response-time-average': {
    label: 'Average response time',
    unit: 'ms',
    comparison: 'at-most',
    defaultValue: 2_000,
    actual: (summary) => summary.requests.latency.averageMs,
  },
  'response-time-p95': {
    label: 'Response time p95',
    unit: 'ms',
    comparison: 'at-most',
    defaultValue: 4_000,
    actual: (summary) => summary.requests.latency.p95Ms,
  },
  'context-fetch-p95': {
    label: 'Context fetch p95',
    unit: 'ms',
    comparison: 'at-most',
    defaultValue: 500,
    actual: (summary) => summary.context.latency.p95Ms,
  },
  'retrieval-latency-p95': {
    label: 'Retrieval p95',
    unit: 'ms',
    comparison: 'at-most',
    defaultValue: 400,
    actual: (summary) => summary.retrieval.latency.p95Ms,
  },
  'cache-hit-rate': {
    label: 'Cache hit rate',
    unit: 'ratio',
    comparison: 'at-least',
    defaultValue: 0.7,
    actual: (summary) => summary.cache.hitRate,
  },
  'token-reduction': {
    label: 'Tokens cut by pruning',
    unit: 'ratio',
    comparison: 'at-least',
    defaultValue: 0.3,
    actual: (summary) => summary.tokens.pruningRate,
  },
  'error-rate': {
    label: 'Failed requests',
    unit: 'ratio',
    comparison: 'at-most',
    defaultValue: 0.01,
    actual: (summary) => summary.requests.errorRate,
  },
  satisfaction: {
    label: 'User satisfaction',
    unit: 'ratio',
    comparison: 'at-least',
    defaultValue: 0.8,
    actual: (summary) => summary.feedback.satisfaction,
  },
  'context-utilisation': {
    label: 'Context used by answers',
    unit: 'ratio',
    comparison: 'at-least',
    defaultValue: 0.9,
    actual: (summary) => summary.requests.contextUtilisation,
  },
  /**
   * The plan asks for twice the acceptance rate of the suggestions an app showed before; 40% is twice a
   * 20% baseline. Set it to twice your own: `targets: { 'suggestion-acceptance': 2 * baseline }`.
   */
  'suggestion-acceptance': {
    label: 'Suggestions accepted',
    unit: 'ratio',
    comparison: 'at-least',
    defaultValue: 0.4,
    actual: (summary) => summary.suggestions.acceptanceRate,
  },
};

/** Target values by id; `null` leaves a target out. */
export type TargetOverrides = Partial<Record<TargetId, number | null>>;

/** A performance target against the range's actual figure. */
export interface TargetResult {
  readonly id: TargetId;
  readonly label: string;
  readonly unit: 'ms' | 'ratio';
  readonly comparison: 'at-most' | 'at-least';
  readonly target: number;
  readonly actual: number | null;
  /** `no-data` when the range has nothing to measure: never reported as met. */
  readonly status: 'met' | 'missed' | 'no-data';
}

/** Compares a summary with each target (its default, or the override; `null` leaves it out). */
export function evaluateTargets(summary: MetricsSummary, overrides: TargetOverrides = {}): TargetResult[] {
  checkArgument(
    isSummary(summary),
    'evaluateTargets: summary',
    'a MetricsSummary (from summarizeMetrics)',
    summary,
  );
  checkArgument(
    typeof overrides === 'object' && overrides !== null,
    'evaluateTargets: overrides',
    'an object of target overrides',
    overrides,
  );
  const results: TargetResult[] = [];
  for (const id of TARGET_IDS) {
    const override = overrides[id];
    if (override === null) continue;
    const definition = TARGETS[id];
    const target = override ?? definition.defaultValue;
    const actual = definition.actual(summary);
    const met =
      actual !== null && (definition.comparison === 'at-most' ? actual <= target : actual >= target);
    results.push({
      id,
      label: definition.label,
      unit: definition.unit,
      comparison: definition.comparison,
      target,
      actual,
      status: actual === null ? 'no-data' : met ? 'met' : 'missed',
    });
  }
  return results;
}
