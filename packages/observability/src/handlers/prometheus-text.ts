import { checkArgument } from '@neptune/core';
import type { HealthReport } from '../health/health-check';
import { isSummary, type LatencyFigures, type MetricsSummary } from '../metrics/metrics-summary';

type Labels = Readonly<Record<string, string>>;

const WINDOW_LABELS: Readonly<Record<string, string>> = { hour: '1h', day: '24h', week: '7d', month: '30d' };

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
}

class Exposition {
  readonly #lines: string[] = [];
  constructor(private readonly window: string) {}

  /** Declares a gauge; values over a trailing window go up and down, so none is a counter. */
  gauge(
    name: string,
    help: string,
    samples: ReadonlyArray<readonly [Labels, number | null]>,
    windowed = true,
  ): void {
    const present = samples.filter((sample): sample is readonly [Labels, number] => sample[1] !== null);
    if (present.length === 0) return;
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of present) {
      const all = windowed ? { window: this.window, ...labels } : labels;
      const text = Object.entries(all)
        .map(([key, label]) => `${key}="${escapeLabel(label)}"`)
        .join(',');
      this.#lines.push(
        text === '' ? `${name} ${formatNumber(value)}` : `${name}{${text}} ${formatNumber(value)}`,
      );
    }
  }

  latency(name: string, help: string, figures: LatencyFigures): void {
    this.gauge(name, help, [
      [{ quantile: '0.5' }, figures.p50Ms],
      [{ quantile: '0.95' }, figures.p95Ms],
      [{ quantile: '0.99' }, figures.p99Ms],
      [{ quantile: 'mean' }, figures.averageMs],
    ]);
  }

  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

/**
 * Prometheus text format (0.0.4) of a summary. Every series is a gauge over the trailing window named in
 * the `window` label: the store keeps windows, not process-lifetime counters. Unknown-cost models get
 * `neptune_model_cost_unknown` instead of a cost sample.
 */
export function prometheusText(summary: MetricsSummary, health: HealthReport | undefined): string {
  checkArgument(
    isSummary(summary),
    'prometheusText: summary',
    'a MetricsSummary (from summarizeMetrics)',
    summary,
  );
  checkArgument(
    health === undefined || (typeof health === 'object' && health !== null && Array.isArray(health.checks)),
    'prometheusText: health',
    'a HealthReport or undefined',
    health,
  );
  const out = new Exposition(WINDOW_LABELS[summary.range] ?? summary.range);
  const { requests, cache, database, retrieval, tokens, cost, errors } = summary;
  out.gauge('neptune_requests', 'Requests completed in the window.', [[{}, requests.total]]);
  out.gauge('neptune_requests_failed', 'Requests that ended with ok=false in the window.', [
    [{}, requests.failed],
  ]);
  out.gauge('neptune_request_error_ratio', 'Failed requests over all requests.', [[{}, requests.errorRate]]);
  out.gauge('neptune_requests_degraded', 'Requests answered without some part, by part left out.', [
    [{ part: 'any' }, requests.degraded],
    ...Object.entries(requests.degradedByPart).map(([part, count]) => [{ part }, count] as const),
  ]);
  out.gauge('neptune_context_utilisation_ratio', 'Passages cited by answers over passages included.', [
    [{}, requests.contextUtilisation],
  ]);
  out.gauge('neptune_feedback_ratings', 'Ratings of answers in the window, by whether positive.', [
    [{ positive: 'true' }, summary.feedback.positive],
    [{ positive: 'false' }, summary.feedback.ratings - summary.feedback.positive],
  ]);
  out.gauge('neptune_satisfaction_ratio', 'Positive ratings over ratings (up, 4 or 5 stars), by workspace.', [
    [{ workspace: 'all' }, summary.feedback.satisfaction],
    ...summary.feedback.byWorkspace.map(
      (entry) => [{ workspace: entry.workspaceId }, entry.satisfaction] as const,
    ),
  ]);
  out.gauge(
    'neptune_suggestions',
    "Memory's suggestions by kind and outcome (shown, accepted, rejected).",
    summary.suggestions.byKind.flatMap((kind) => [
      [{ kind: kind.kind, outcome: 'shown' }, kind.shown] as const,
      [{ kind: kind.kind, outcome: 'accepted' }, kind.accepted] as const,
      [{ kind: kind.kind, outcome: 'rejected' }, kind.rejected] as const,
    ]),
  );
  out.gauge('neptune_suggestion_acceptance_ratio', 'Accepted over answered suggestions, by kind.', [
    [{ kind: 'all' }, summary.suggestions.acceptanceRate],
    ...summary.suggestions.byKind.map((kind) => [{ kind: kind.kind }, kind.acceptanceRate] as const),
  ]);
  const variants = summary.experiments.flatMap((experiment) =>
    experiment.variants.map((variant) => ({
      labels: { experiment: experiment.id, variant: variant.id },
      variant,
    })),
  );
  out.gauge(
    'neptune_experiment_requests',
    'Requests per experiment variant.',
    variants.map(({ labels, variant }) => [labels, variant.requests] as const),
  );
  out.gauge(
    'neptune_experiment_satisfaction_ratio',
    'Positive ratings over ratings per experiment variant.',
    variants.map(({ labels, variant }) => [labels, variant.satisfaction] as const),
  );
  out.gauge(
    'neptune_experiment_request_duration_p95_milliseconds',
    'Request duration p95 per experiment variant, ms.',
    variants.map(({ labels, variant }) => [labels, variant.latency.p95Ms] as const),
  );
  out.latency(
    'neptune_request_duration_milliseconds',
    'Request duration percentiles and mean, ms.',
    requests.latency,
  );
  out.latency(
    'neptune_time_to_first_token_milliseconds',
    'Time to first token, ms.',
    requests.timeToFirstToken,
  );
  out.gauge('neptune_cache_hit_ratio', 'Cache hits over hits and misses, by kind.', [
    [{ kind: 'all' }, cache.hitRate],
    ...cache.byKind.map((kind) => [{ kind: kind.kind }, kind.hitRate] as const),
  ]);
  out.gauge(
    'neptune_cache_lookups',
    'Cache lookups by kind and result.',
    cache.byKind.flatMap((kind) => [
      [{ kind: kind.kind, result: 'hit' }, kind.hits] as const,
      [{ kind: kind.kind, result: 'miss' }, kind.misses] as const,
      [{ kind: kind.kind, result: 'stale' }, kind.stale] as const,
    ]),
  );
  out.gauge('neptune_db_queries', 'Database queries in the window.', [[{}, database.queries]]);
  out.gauge('neptune_db_slow_queries', 'Database queries over the slow threshold.', [
    [{}, database.slowQueries],
  ]);
  out.latency('neptune_db_query_duration_milliseconds', 'Database query duration, ms.', database.latency);
  out.gauge('neptune_retrieval_searches', 'Retrievals in the window.', [[{}, retrieval.searches]]);
  out.gauge('neptune_retrieval_results_mean', 'Passages returned per retrieval, mean.', [
    [{}, retrieval.averageResults],
  ]);
  out.latency('neptune_retrieval_duration_milliseconds', 'Retrieval duration, ms.', retrieval.latency);
  out.gauge(
    'neptune_model_tokens',
    'Model tokens by model and type (cached_input is part of input).',
    cost.models.flatMap((model) => [
      [{ model: model.model, type: 'input' }, model.inputTokens] as const,
      [{ model: model.model, type: 'cached_input' }, model.cachedInputTokens] as const,
      [{ model: model.model, type: 'output' }, model.outputTokens] as const,
    ]),
  );
  out.gauge(
    'neptune_model_cost_usd',
    `Model cost in USD from the price table as of ${cost.pricesAsOf}; priced models only.`,
    cost.models.map(
      (model) =>
        [{ model: model.model }, model.costMicroUsd === null ? null : model.costMicroUsd / 1e6] as const,
    ),
  );
  out.gauge(
    'neptune_model_cost_unknown',
    'Models with usage but no price: their cost is unknown, not zero.',
    cost.unpricedModels.map((model) => [{ model }, 1] as const),
  );
  out.gauge('neptune_tokens_saved', 'Tokens saved, by reason.', [
    [{ reason: 'pruning' }, tokens.savedByPruning],
    [{ reason: 'cache' }, tokens.savedByCache],
  ]);
  out.gauge(
    'neptune_errors',
    'Errors by source.',
    Object.entries(errors.bySource).map(([source, count]) => [{ source }, count] as const),
  );
  if (health !== undefined) {
    out.gauge(
      'neptune_health_up',
      'Overall health: 1 healthy, 0.5 degraded, 0 unhealthy.',
      [[{}, health.status === 'healthy' ? 1 : health.status === 'degraded' ? 0.5 : 0]],
      false,
    );
    out.gauge(
      'neptune_health_check_up',
      'Each dependency: 1 up or slow, 0 down.',
      health.checks.map(
        (check) => [{ check: check.name, kind: check.kind }, check.status === 'down' ? 0 : 1] as const,
      ),
      false,
    );
    out.gauge(
      'neptune_health_check_latency_milliseconds',
      'Each dependency probe round trip, ms.',
      health.checks.map((check) => [{ check: check.name, kind: check.kind }, check.latencyMs] as const),
      false,
    );
  }
  return out.toString();
}
