import { parseInput } from '@neptune/core';
import { z } from 'zod';
import type { PriceTable } from '../cost/price-table';
import { METRICS_RANGES, type MetricsRange, rangeWindow } from '../metrics/metrics-range';
import type { MetricsStore, MetricsView, RecordedError } from '../metrics/metrics-store';
import type { MetricsSummary } from '../metrics/metrics-summary';
import { evaluateTargets, type TargetOverrides, type TargetResult } from '../metrics/metrics-targets';
import { summarizeMetrics } from '../metrics/summarize-metrics';

/** What `GET /api/admin/metrics/neptune` returns: a range's summary, its targets and recent errors. */
export interface MetricsReport {
  /** The workspace shown, or `null` for all workspaces together. */
  readonly workspace: string | null;
  readonly generatedAt: string;
  readonly summary: MetricsSummary;
  readonly targets: readonly TargetResult[];
  readonly recentErrors: readonly RecordedError[];
}

export interface ReportSettings {
  readonly store: MetricsStore;
  readonly prices: PriceTable;
  readonly targets: TargetOverrides;
  readonly now: () => number;
}

const rangeSchema = z.enum(METRICS_RANGES, { message: 'must be hour, day, week or month' });

/** Reads `?range=` (default `hour`); anything else is a ValidationError the handler answers with 400. */
export function parseRange(url: URL): MetricsRange {
  return parseInput(rangeSchema, url.searchParams.get('range') ?? 'hour', 'range query parameter');
}

export async function buildMetricsReport(
  settings: ReportSettings,
  view: MetricsView,
  range: MetricsRange,
): Promise<MetricsReport> {
  const nowMs = settings.now();
  const window = rangeWindow(range, nowMs);
  const [buckets, recentErrors] = await Promise.all([
    settings.store.read({ view, resolution: window.resolution, fromMs: window.fromMs, toMs: window.toMs }),
    settings.store.recentErrors(view, 20),
  ]);
  const summary = summarizeMetrics(buckets, window, settings.prices);
  return {
    workspace: 'workspaceId' in view ? view.workspaceId : null,
    generatedAt: new Date(nowMs).toISOString(),
    summary,
    targets: evaluateTargets(summary, settings.targets),
    recentErrors: recentErrors
      .filter((error) => error.timestamp >= window.fromMs)
      // An error message can carry a dependency's raw error (hosts, ports): operators only.
      .map((error) =>
        'allWorkspaces' in view || error.message === undefined ? error : withoutMessage(error),
      ),
  };
}

function withoutMessage(error: RecordedError): RecordedError {
  const { message: _message, ...rest } = error;
  return rest;
}
