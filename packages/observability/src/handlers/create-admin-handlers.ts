import { type KeyValueStore, parseOptions } from '@neptune/core';
import { z } from 'zod';
import { type AlertEvent, AlertHistory } from '../alerts/alert-history';
import { OPENAI_PRICES, type PriceTable, parsePriceTable } from '../cost/price-table';
import {
  contentSecurityPolicy,
  createNonce,
  type DashboardData,
  dashboardPage,
} from '../dashboard/dashboard-page';
import type { HealthCheck, HealthReport } from '../health/health-check';
import { runHealthChecks } from '../health/run-health-checks';
import type { MetricsStore, MetricsView } from '../metrics/metrics-store';
import { TARGET_IDS, type TargetOverrides } from '../metrics/metrics-targets';
import type { AuthorizeAdmin } from './admin-access';
import { guardedHandler } from './guarded-handler';
import { jsonResponse, problemResponse, textResponse } from './http-responses';
import { buildMetricsReport, type MetricsReport, parseRange, type ReportSettings } from './metrics-report';
import { prometheusText } from './prometheus-text';

/** A route handler in the Fetch API's terms, as Next.js route handlers are. */
export type RequestHandler = (request: Request) => Promise<Response>;

/** What `createAdminHandlers` returns: one route handler per admin endpoint, each behind the guard. */
export interface AdminHandlers {
  /** `GET /api/admin/metrics`: last hour and last day side by side, with health. */
  readonly summary: RequestHandler;
  /** `GET /api/admin/metrics/neptune?range=hour|day|week|month`: figures, series, targets against actuals, recent errors. */
  readonly neptune: RequestHandler;
  /** `GET /api/admin/metrics/health`: each dependency's status and latency; 503 when unhealthy. */
  readonly health: RequestHandler;
  /** `GET /api/admin/metrics/prometheus?range=hour`: the same figures in Prometheus text format. */
  readonly prometheus: RequestHandler;
  /**
   * `GET /admin/performance`: the Mission Control dashboard (HTML; `?format=json` for its data), with the
   * 30-day trend from day buckets and the alert history.
   */
  readonly dashboard: RequestHandler;
}

const isFunction = (value: unknown) => typeof value === 'function';
const optionsShape = {
  /** The store the metrics recorder writes to. */
  store: z.custom<MetricsStore>(
    (value) => isFunction((value as MetricsStore | undefined)?.read),
    'must be a MetricsStore',
  ),
  /** Decides who may see what: `emailAllowlistGuard`, `bearerTokenGuard`, or your own. */
  authorize: z.custom<AuthorizeAdmin>(
    isFunction,
    'must be a function (request) => access | null, e.g. emailAllowlistGuard(...)',
  ),
  // Checked by parsePriceTable, which says what is wrong with a bad table.
  /** Default `OPENAI_PRICES`. */
  prices: z.custom<PriceTable>().optional(),
  /** Override or drop (`null`) targets by id: `{ 'cache-hit-rate': 0.8 }`. */
  targets: z.partialRecord(z.enum(TARGET_IDS), z.number().nonnegative().nullable()).optional(),
  /** Dependencies probed by the health handler, the summary and the dashboard. */
  healthChecks: z
    .array(
      z.custom<HealthCheck>(
        (value) => isFunction((value as HealthCheck | undefined)?.check),
        'must be a HealthCheck',
      ),
    )
    .readonly()
    .optional(),
  /** Each health check's time limit, in ms. Default 3,000. */
  healthTimeoutMs: z.number().int().positive().optional(),
  /** Page title. Default "Neptune · Mission Control". */
  title: z.string().min(1).optional(),
  /** Receives guard and store failures (answered with 500). */
  onError: z.custom<(error: unknown) => void>(isFunction, 'must be a function').optional(),
  /** Wall clock, epoch ms. Default `Date.now`. */
  now: z.custom<() => number>(isFunction, 'must be a function returning epoch ms').optional(),
  /**
   * The alert history: each breach and recovery of the targets over the last hour, recorded once per view
   * (whichever instance sees it first) when a handler evaluates the hour, kept `retentionMs` (90 days).
   * The app's key-value store (Redis, Upstash) so every instance shares it. Default: none.
   */
  alerts: z
    .object({
      store: z.custom<KeyValueStore>(
        (value) => isFunction((value as KeyValueStore | undefined)?.getMany),
        'must be a KeyValueStore, e.g. redisKeyValueStore()',
      ),
      retentionMs: z.number().int().positive().optional(),
    })
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `createAdminHandlers`. */
export type AdminHandlersOptions = z.input<typeof optionsSchema>;

/**
 * The admin endpoints and the dashboard, each a web-standard `(request) => Promise<Response>`, so a
 * Next.js route file is one line: `export { neptune as GET } from '@/lib/neptune-admin'`.
 */
export function createAdminHandlers(options: AdminHandlersOptions): AdminHandlers {
  const checked = parseOptions(optionsSchema, options, 'createAdminHandlers options');
  const settings: ReportSettings = {
    store: checked.store,
    prices: checked.prices === undefined ? OPENAI_PRICES : parsePriceTable(checked.prices),
    targets: (checked.targets ?? {}) as TargetOverrides,
    now: checked.now ?? Date.now,
  };
  const healthChecks = checked.healthChecks ?? [];
  // A workspace admin learns whether a dependency is down, never why: the error of a dependency names
  // hosts, ports and internals (`connect ECONNREFUSED 10.0.3.7:5432`) that are the operator's business.
  const checkHealth = async (view: MetricsView): Promise<HealthReport | undefined> => {
    if (healthChecks.length === 0) return undefined;
    const report = await runHealthChecks(healthChecks, {
      timeoutMs: checked.healthTimeoutMs,
      now: settings.now,
    });
    return isOperatorView(view) ? report : withoutDependencyErrors(report);
  };
  const guard = (route: Parameters<typeof guardedHandler>[1]) =>
    guardedHandler(checked.authorize, route, checked.onError);
  const withoutSeries = <T extends { series: unknown }>(summary: T): Omit<T, 'series'> => {
    const { series: _series, ...rest } = summary;
    return rest;
  };
  const title = checked.title ?? 'Neptune · Mission Control';
  const history =
    checked.alerts === undefined
      ? undefined
      : new AlertHistory(checked.alerts.store, checked.alerts.retentionMs);
  // An alert store that is down costs the page its history, never the figures.
  const recordAlerts = async (view: MetricsView, report: MetricsReport): Promise<void> => {
    if (history === undefined || report.summary.range !== 'hour') return;
    await history
      .record(view, report.targets, settings.now())
      .catch((error: unknown) => checked.onError?.(error));
  };
  const listAlerts = async (view: MetricsView): Promise<AlertEvent[] | null> =>
    history === undefined
      ? null
      : history.list(view, 50).catch((error: unknown) => {
          checked.onError?.(error);
          return null;
        });

  return {
    summary: guard(async (_request, { view }) => {
      const [hour, day, health] = await Promise.all([
        buildMetricsReport(settings, view, 'hour'),
        buildMetricsReport(settings, view, 'day'),
        checkHealth(view),
      ]);
      await recordAlerts(view, hour);
      return jsonResponse({
        workspace: hour.workspace,
        generatedAt: hour.generatedAt,
        lastHour: withoutSeries(hour.summary),
        lastDay: withoutSeries(day.summary),
        targets: hour.targets,
        health: health ?? null,
      });
    }),
    neptune: guard(async (_request, { view, url }) => {
      const report = await buildMetricsReport(settings, view, parseRange(url));
      await recordAlerts(view, report);
      return jsonResponse(report);
    }),
    health: guard(async (_request, { view }) => {
      const health = await checkHealth(view);
      if (health === undefined)
        return problemResponse(
          'not-configured',
          'No health checks are configured: pass healthChecks to createAdminHandlers.',
        );
      return jsonResponse(health, health.status === 'unhealthy' ? 503 : 200);
    }),
    prometheus: guard(async (_request, { view, url }) => {
      const [report, health] = await Promise.all([
        buildMetricsReport(settings, view, parseRange(url)),
        checkHealth(view),
      ]);
      await recordAlerts(view, report);
      return textResponse(prometheusText(report.summary, health), 'text/plain; version=0.0.4; charset=utf-8');
    }),
    dashboard: guard(async (_request, { view, url }) => {
      const range = parseRange(url);
      const [report, trend, health] = await Promise.all([
        buildMetricsReport(settings, view, range),
        range === 'month' ? undefined : buildMetricsReport(settings, view, 'month'),
        checkHealth(view),
      ]);
      await recordAlerts(view, report);
      const data: DashboardData = {
        report,
        health: health ?? null,
        trend: (trend ?? report).summary.series,
        alerts: await listAlerts(view),
      };
      if (url.searchParams.get('format') === 'json') return jsonResponse(data);
      const nonce = createNonce();
      return textResponse(
        dashboardPage(data, { nonce, requestUrl: url, title }),
        'text/html; charset=utf-8',
        {
          'content-security-policy': contentSecurityPolicy(nonce),
          'referrer-policy': 'no-referrer',
        },
      );
    }),
  };
}

function isOperatorView(view: MetricsView): boolean {
  return 'allWorkspaces' in view;
}

const DEPENDENCY_ERROR_HIDDEN = 'not answering (the reason is shown to operators only)';

function withoutDependencyErrors(report: HealthReport): HealthReport {
  return {
    ...report,
    checks: report.checks.map((check) =>
      check.error === undefined ? check : { ...check, error: DEPENDENCY_ERROR_HIDDEN },
    ),
  };
}
