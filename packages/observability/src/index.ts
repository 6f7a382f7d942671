// Recording

export { type AlertEvent, DEFAULT_ALERT_RETENTION_MS } from './alerts/alert-history';
export {
  type CostTotals,
  type ModelCost,
  type ModelUsage,
  priceModelUsage,
  totalCost,
} from './cost/model-cost';
// Cost
export {
  findModelPrice,
  type ModelPrice,
  OPENAI_PRICES,
  type PriceTable,
  parsePriceTable,
} from './cost/price-table';
export type { DashboardData } from './dashboard/dashboard-page';
export { type AdminAccess, type AuthorizeAdmin, firstMatchingGuard } from './handlers/admin-access';
export { type AdminLogin, type AdminLoginOptions, adminLogin } from './handlers/admin-login';
export {
  type BearerToken,
  type BearerTokenGuardOptions,
  bearerTokenGuard,
} from './handlers/bearer-token-guard';
// HTTP
export {
  type AdminHandlers,
  type AdminHandlersOptions,
  createAdminHandlers,
  type RequestHandler,
} from './handlers/create-admin-handlers';
export {
  type AdminSession,
  type EmailAllowlistGuardOptions,
  emailAllowlistGuard,
} from './handlers/email-allowlist-guard';
export type { MetricsReport } from './handlers/metrics-report';
export { prometheusText } from './handlers/prometheus-text';
export {
  type ModelProviderHealthCheckOptions,
  modelProviderHealthCheck,
  type Pingable,
  postgresHealthCheck,
  redisHealthCheck,
  type SqlQueryable,
  vectorStoreHealthCheck,
} from './health/dependency-health-checks';
// Health
export type { HealthCheck, HealthCheckKind, HealthCheckResult, HealthReport } from './health/health-check';
export { type RunHealthChecksOptions, runHealthChecks } from './health/run-health-checks';
export {
  HISTOGRAM_RELATIVE_ACCURACY,
  LogHistogram,
  type LogHistogramData,
} from './histogram/log-histogram';
// Stores and figures
export { type MemoryMetricsStoreOptions, memoryMetricsStore } from './in-memory/memory-metrics-store';
export type {
  ExperimentFigures,
  ExperimentVerdict,
  VariantComparison,
  VariantFigures,
} from './metrics/experiment-figures';
export { COUNTER, HISTOGRAM } from './metrics/metric-names';
export { MetricsAggregate } from './metrics/metrics-aggregate';
export { METRICS_RANGES, type MetricsRange, type RangeWindow, rangeWindow } from './metrics/metrics-range';
export {
  bucketStart,
  DAY_MS,
  HOUR_MS,
  type MetricsBucket,
  type MetricsQuery,
  type MetricsResolution,
  type MetricsStore,
  type MetricsView,
  type MetricsWriter,
  MINUTE_MS,
  type RecordedError,
} from './metrics/metrics-store';
export type {
  CacheKindFigures,
  FeedbackFigures,
  LatencyFigures,
  MetricsSummary,
  SeriesPoint,
  SuggestionFigures,
} from './metrics/metrics-summary';
export {
  evaluateTargets,
  TARGET_IDS,
  TARGETS,
  type TargetId,
  type TargetOverrides,
  type TargetResult,
} from './metrics/metrics-targets';
export {
  DEFAULT_DAY_RETENTION_MS,
  DEFAULT_HOUR_RETENTION_MS,
  DEFAULT_MAX_RECENT_ERRORS,
  DEFAULT_MINUTE_RETENTION_MS,
} from './metrics/retention-options';
export { latencyFigures, summarizeMetrics } from './metrics/summarize-metrics';
export { type TwoProportionTest, twoProportionZTest } from './metrics/two-proportion-z-test';
export {
  type FlushReport,
  type Observability,
  type ObservabilityOptions,
  startObservability,
} from './start-observability';
export type { TelemetrySink } from './telemetry-sink';
export { DEFAULT_SLOW_QUERY_THRESHOLD_MS } from './trackers/database-tracker';
export {
  type MetricsRecorder,
  type MetricsRecorderOptions,
  metricsRecorder,
} from './trackers/metrics-recorder';

// Attribution
export { type EventContext, withEventContext } from './with-event-context';
