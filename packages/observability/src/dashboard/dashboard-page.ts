import type { AlertEvent } from '../alerts/alert-history';
import type { MetricsReport } from '../handlers/metrics-report';
import type { HealthReport } from '../health/health-check';
import { METRICS_RANGES, type MetricsRange } from '../metrics/metrics-range';
import type { SeriesPoint } from '../metrics/metrics-summary';
import { DASHBOARD_CHART_SCRIPT } from './dashboard-chart-script';
import { DASHBOARD_SCRIPT } from './dashboard-script';
import { DASHBOARD_STYLES } from './dashboard-styles';

/** What the page renders, embedded as JSON and served again with `?format=json` for refreshes. */
export interface DashboardData {
  readonly report: MetricsReport;
  readonly health: HealthReport | null;
  /** The last 30 days by UTC day, from day buckets. */
  readonly trend: readonly SeriesPoint[];
  /** Breaches and recoveries, newest first; `null` when no alert store is configured. */
  readonly alerts: readonly AlertEvent[] | null;
}

const RANGE_LABELS: Record<MetricsRange, string> = {
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
  month: '30 days',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
function embeddableJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The Mission Control page: one self-contained HTML document (styles, chart code and data inline under
 * a CSP nonce; nothing fetched from elsewhere). `requestUrl` gives the range links their query string.
 */
export function dashboardPage(
  data: DashboardData,
  options: { readonly nonce: string; readonly requestUrl: URL; readonly title: string },
): string {
  const { nonce, requestUrl, title } = options;
  const links = METRICS_RANGES.map((range) => {
    const url = new URL(requestUrl);
    url.searchParams.set('range', range);
    url.searchParams.delete('format');
    const active = range === data.report.summary.range ? ' class="active" aria-current="page"' : '';
    // One leading slash only: a request path `//evil.example/...` must not become an off-site link.
    const path = `/${url.pathname.replace(/^[/\\]+/, '')}`;
    return `<a href="${escapeHtml(path + url.search)}"${active}>${RANGE_LABELS[range]}</a>`;
  }).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${DASHBOARD_STYLES}</style>
</head>
<body>
<main>
<header>
<h1><span class="brand">Neptune</span> · ${escapeHtml(title.replace(/^Neptune\s*·?\s*/, ''))}</h1>
<span class="badge" id="workspace"></span>
<span class="badge" id="health-badge"></span>
<span class="spacer"></span>
<span class="meta" id="updated"></span>
<nav class="ranges" aria-label="Range">${links}</nav>
</header>
<div id="dashboard"></div>
</main>
<script type="application/json" id="neptune-data">${embeddableJson(data)}</script>
<script nonce="${nonce}">${DASHBOARD_CHART_SCRIPT}${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

/** A fresh nonce per response, from Web Crypto (Node 20 and the edge runtime both have it). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
