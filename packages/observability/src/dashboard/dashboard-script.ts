/**
 * Browser code that renders the dashboard from the JSON embedded in the page, and refreshes it every
 * minute from the same URL with `format=json`. Text from the data is only ever set with `textContent`.
 */
export const DASHBOARD_SCRIPT = `
const dash = '–';
const count = (value) => Math.round(value).toLocaleString('en-US');
const milliseconds = (value) => (value === null ? dash : count(value) + ' ms');
const percent = (value) => (value === null ? dash : (value * 100).toFixed(1) + '%');
const compact = (value) => (value >= 1e6 ? (value / 1e6).toFixed(2) + 'M' : value >= 1e4 ? (value / 1e3).toFixed(1) + 'k' : count(value));
const dollars = (microUsd) => (microUsd === 0 ? '$0' : '$' + (microUsd / 1e6).toFixed(microUsd >= 1e6 ? 2 : 4));
const decimal = (value) => (value === null ? dash : value.toFixed(1));

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) if (value !== undefined) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function formatTarget(result) {
  const value = result.unit === 'ms' ? milliseconds(result.target) : percent(result.target);
  return (result.comparison === 'at-most' ? '≤ ' : '≥ ') + value;
}

function formatActual(result) {
  return result.unit === 'ms' ? milliseconds(result.actual) : percent(result.actual);
}

function targetBadge(targets, id) {
  const result = targets.find((target) => target.id === id);
  if (!result) return '';
  const mark = result.status === 'met' ? '✓ ' : result.status === 'missed' ? '✗ ' : '';
  return element('span', { class: 'target ' + result.status, 'data-target-status': id }, mark + 'target ' + formatTarget(result));
}

function tile(label, metric, value, sub, badge) {
  return element('section', { class: 'panel tile' }, element('h2', {}, label), element('div', { class: 'value', 'data-metric': metric }, ...value), element('div', { class: 'sub' }, sub), badge);
}

function table(headers, rows, emptyText) {
  if (rows.length === 0) return element('div', { class: 'empty' }, emptyText);
  const head = element('tr', {}, ...headers.map(([text, numeric]) => element('th', { class: numeric ? 'number' : undefined }, text)));
  return element('table', {}, element('thead', {}, head), element('tbody', {}, ...rows));
}

function cell(text, numeric, attributes) {
  return element('td', Object.assign({ class: numeric ? 'number' : undefined }, attributes || {}), text);
}

function panel(title, ...content) {
  return element('section', { class: 'panel' }, element('h2', {}, title), ...content);
}

function legend(...items) {
  return element('div', { class: 'legend' }, ...items.map(([kind, text]) => element('span', {}, element('i', { class: kind }), text)));
}

// Charts are drawn once their holders are in the page, at the width the layout gave them.
let pendingCharts = [];
function chartPanel(title, legendItems, draw) {
  const holder = element('div', {});
  pendingCharts.push(() => draw(holder));
  return panel(title, legend(...legendItems), holder);
}

function render(data) {
  const { report, health } = data;
  const summary = report.summary;
  const targets = report.targets;
  const target = (id) => targets.find((result) => result.id === id);
  const starts = summary.series.map((point) => point.startMs);
  const series = (pick) => summary.series.map(pick);
  const chart = (holder, options) => drawChart(holder, Object.assign({ starts, resolution: summary.resolution }, options));
  const root = document.getElementById('dashboard');

  document.getElementById('workspace').textContent = report.workspace === null ? 'All workspaces' : 'Workspace ' + report.workspace;
  document.getElementById('updated').textContent = 'Updated ' + report.generatedAt.slice(11, 16) + ' UTC · prices as of ' + summary.cost.pricesAsOf;
  const healthBadge = document.getElementById('health-badge');
  healthBadge.replaceChildren(element('span', { class: 'dot ' + (health ? health.status : 'no-data') }), health ? health.status : 'health not configured');

  const costText = [dollars(summary.cost.knownCostMicroUsd)];
  if (!summary.cost.complete) costText.push(element('span', { class: 'unit unknown', title: 'Models without a price: ' + summary.cost.unpricedModels.join(', ') }, '+ unknown'));
  const p95Target = target('response-time-p95');
  const hitTarget = target('cache-hit-rate');

  const tiles = element('div', { class: 'tiles' },
    tile('Requests', 'requests', [count(summary.requests.total)], count(summary.requests.perHour) + ' per hour · first token p50 ' + milliseconds(summary.requests.timeToFirstToken.p50Ms), ''),
    tile('Response time p95', 'latency-p95', [milliseconds(summary.requests.latency.p95Ms)], 'p50 ' + milliseconds(summary.requests.latency.p50Ms) + ' · avg ' + milliseconds(summary.requests.latency.averageMs), targetBadge(targets, 'response-time-p95')),
    tile('Cache hit rate', 'cache-hit-rate', [percent(summary.cache.hitRate)], count(summary.cache.hits) + ' hits / ' + count(summary.cache.hits + summary.cache.misses) + ' lookups', targetBadge(targets, 'cache-hit-rate')),
    tile('Tokens & cost', 'cost', costText, compact(summary.tokens.input + summary.tokens.output) + ' tokens · ' + compact(summary.tokens.savedByPruning + summary.tokens.savedByCache) + ' saved', targetBadge(targets, 'token-reduction')),
    tile('Retrieval', 'retrieval-average-results', [decimal(summary.retrieval.averageResults), element('span', { class: 'unit' }, 'passages')], count(summary.retrieval.searches) + ' searches · p95 ' + milliseconds(summary.retrieval.latency.p95Ms) + ' · ' + percent(summary.requests.contextUtilisation) + ' cited', targetBadge(targets, 'retrieval-latency-p95')),
    tile('Failed requests', 'error-rate', [percent(summary.requests.errorRate)], count(summary.requests.failed) + ' failed · ' + count(summary.requests.degraded) + ' degraded · ' + count(summary.errors.total) + ' errors', targetBadge(targets, 'error-rate')),
  );

  const feedback = summary.feedback;
  const goals = element('div', { class: 'tiles goals' },
    tile('User satisfaction', 'satisfaction', [percent(feedback.satisfaction)], count(feedback.positive) + ' positive / ' + count(feedback.ratings) + ' ratings', targetBadge(targets, 'satisfaction')),
    tile('Context utilisation', 'context-utilisation', [percent(summary.requests.contextUtilisation)], 'passages cited over passages included', targetBadge(targets, 'context-utilisation')),
    tile('Suggestions accepted', 'suggestion-acceptance', [percent(summary.suggestions.acceptanceRate)], count(summary.suggestions.accepted) + ' accepted / ' + count(summary.suggestions.accepted + summary.suggestions.rejected) + ' answered · ' + count(summary.suggestions.shown) + ' shown', targetBadge(targets, 'suggestion-acceptance')),
  );
  const workspaceRows = feedback.byWorkspace.map((entry) => element('tr', { 'data-workspace': entry.workspaceId },
    cell(entry.workspaceId), cell(count(entry.ratings), true), cell(percent(entry.satisfaction), true)));
  const satisfactionPanel = report.workspace === null && workspaceRows.length > 0
    ? panel('Satisfaction by workspace', table([['Workspace'], ['Ratings', true], ['Satisfied', true]], workspaceRows, 'No ratings.'))
    : '';

  const verdictText = { 'roll-out': 'Roll out', 'keep-control': 'Keep control', 'below-threshold': 'Better, under +20%', inconclusive: 'Not significant yet', 'too-few-ratings': 'Too few ratings' };
  const signed = (value) => (value === null ? dash : (value >= 0 ? '+' : '') + (value * 100).toFixed(1) + '%');
  const experimentPanels = summary.experiments.map((experiment) => {
    const comparisonOf = (id) => experiment.comparisons.find((comparison) => comparison.variant === id);
    const rows = experiment.variants.map((variant) => {
      const comparison = comparisonOf(variant.id);
      return element('tr', { 'data-variant': variant.id },
        cell(variant.id + (comparison ? '' : ' (control)')), cell(count(variant.requests), true), cell(milliseconds(variant.latency.p95Ms), true),
        cell(percent(variant.satisfaction) + ' of ' + count(variant.ratings), true), cell(percent(variant.contextUtilisation), true),
        cell(variant.averageTokens === null ? dash : compact(variant.averageTokens), true),
        cell(variant.costPerRequestMicroUsd === null ? dash : dollars(variant.costPerRequestMicroUsd) + (variant.costComplete ? '' : ' + unknown'), true),
        cell(comparison ? signed(comparison.lift) : dash, true), cell(comparison && comparison.pValue !== null ? comparison.pValue.toFixed(3) : dash, true),
        comparison ? cell(element('span', { class: 'verdict ' + comparison.verdict, 'data-verdict': comparison.verdict }, verdictText[comparison.verdict]), false) : cell(dash));
    });
    return element('section', { class: 'panel', 'data-experiment': experiment.id }, element('h2', {}, 'Experiment · ' + experiment.id),
      table([['Variant'], ['Requests', true], ['p95', true], ['Satisfaction', true], ['Utilisation', true], ['Tokens/req', true], ['Cost/req', true], ['Lift', true], ['p', true], ['Verdict']], rows, 'No requests.'),
      element('div', { class: 'sub' }, 'Two-proportion z-test on satisfaction against the control; the plan rolls out at more than +20% with p < 0.05.'));
  });

  const latencyChart = chartPanel('Response time', [['p50', 'p50'], ['p95', 'p95'], ['goal', 'p95 target']], (holder) =>
    chart(holder, { label: 'Response time p50 and p95', format: milliseconds, target: p95Target ? { value: p95Target.target, label: 'target ' + milliseconds(p95Target.target) } : null,
      series: [{ id: 'latency-p50', values: series((point) => point.latencyP50Ms), color: '#6ea8ff' }, { id: 'latency-p95', values: series((point) => point.latencyP95Ms), color: '#b78cff' }] }));
  const targetRows = targets.map((result) => element('tr', { 'data-target': result.id },
    cell(element('span', {}, element('span', { class: 'dot ' + result.status }), result.label)), cell(formatActual(result), true), cell(formatTarget(result), true)));
  const targetsPanel = panel('Targets', table([['Figure'], ['Actual', true], ['Target', true]], targetRows, 'No targets.'));

  const hitChart = chartPanel('Cache hit rate', [['p50', 'hit rate'], ['goal', 'target']], (holder) =>
    chart(holder, { label: 'Cache hit rate', format: percent, maximum: 1, target: hitTarget ? { value: hitTarget.target, label: 'target ' + percent(hitTarget.target) } : null,
      series: [{ id: 'cache-hit-rate', values: series((point) => point.cacheHitRate), color: '#6ea8ff' }] }));
  const tokenChart = chartPanel('Tokens · ' + dollars(summary.cost.knownCostMicroUsd) + (summary.cost.complete ? '' : ' + unknown'), [['bars', 'model tokens']], (holder) =>
    chart(holder, { label: 'Model tokens', format: compact, series: [{ id: 'tokens', kind: 'bars', values: series((point) => (point.tokens > 0 ? point.tokens : null)), color: '#b78cff' }] }));
  const requestChart = chartPanel('Requests & failures', [['bars', 'requests'], ['failed', 'failed']], (holder) =>
    chart(holder, { label: 'Requests and failed requests', format: count, minimumMaximum: 4, series: [
      { id: 'requests', kind: 'bars', values: series((point) => (point.requests > 0 ? point.requests : null)), color: '#6ea8ff' },
      { id: 'failed-requests', kind: 'bars', values: series((point) => (point.failedRequests > 0 ? point.failedRequests : null)), color: '#ff6b6b' }] }));

  const trend = data.trend || [];
  const trendStarts = trend.map((point) => point.startMs);
  const trendChart = (holder, options) => drawChart(holder, Object.assign({ starts: trendStarts, resolution: 'day' }, options));
  const satisfactionTarget = target('satisfaction');
  const trendRequests = chartPanel('30 days · requests per day', [['bars', 'requests'], ['failed', 'failed']], (holder) =>
    trendChart(holder, { label: 'Requests per day, last 30 days', format: count, minimumMaximum: 4, series: [
      { id: 'trend-requests', kind: 'bars', values: trend.map((point) => (point.requests > 0 ? point.requests : null)), color: '#6ea8ff' },
      { id: 'trend-failed', kind: 'bars', values: trend.map((point) => (point.failedRequests > 0 ? point.failedRequests : null)), color: '#ff6b6b' }] }));
  const trendQuality = chartPanel('30 days · satisfaction and utilisation', [['p50', 'satisfaction'], ['p95', 'context utilisation'], ['goal', 'satisfaction target']], (holder) =>
    trendChart(holder, { label: 'Satisfaction and context utilisation per day, last 30 days', format: percent, maximum: 1,
      target: satisfactionTarget ? { value: satisfactionTarget.target, label: 'target ' + percent(satisfactionTarget.target) } : null,
      series: [{ id: 'trend-satisfaction', values: trend.map((point) => point.satisfaction), color: '#6ea8ff' },
        { id: 'trend-utilisation', values: trend.map((point) => point.contextUtilisation), color: '#b78cff' }] }));
  const formatAlertValue = (alert, value) => (alert.unit === 'ms' ? milliseconds(value) : percent(value));
  const alertRows = (data.alerts || []).slice(0, 12).map((alert) => element('tr', { 'data-alert': alert.kind, 'data-alert-target': alert.targetId },
    cell(new Date(alert.at).toISOString().slice(0, 16).replace('T', ' ')),
    cell(element('span', {}, element('span', { class: 'dot ' + (alert.kind === 'breach' ? 'missed' : 'met') }), alert.kind === 'breach' ? 'Breach' : 'Recovered')),
    cell(alert.label), cell(formatAlertValue(alert, alert.actual), true), cell((alert.comparison === 'at-most' ? '≤ ' : '≥ ') + formatAlertValue(alert, alert.target), true)));
  const alertPanel = panel('Alert history', data.alerts === null
    ? element('div', { class: 'empty' }, 'No alert store configured: pass alerts: { store } to createAdminHandlers.')
    : table([['When (UTC)'], ['Change'], ['Target'], ['Actual', true], ['Line', true]], alertRows, 'No breaches recorded.'));

  const kindRows = summary.cache.byKind.map((kind) => element('tr', { 'data-kind': kind.kind },
    cell(kind.kind), cell(count(kind.hits), true), cell(count(kind.misses), true), cell(count(kind.stale), true), cell(percent(kind.hitRate), true)));
  const modelRows = summary.cost.models.map((model) => element('tr', { 'data-model': model.model },
    cell(model.model), cell(count(model.calls), true), cell(compact(model.inputTokens), true), cell(compact(model.cachedInputTokens), true), cell(compact(model.outputTokens), true),
    model.costMicroUsd === null ? cell(element('span', { class: 'unknown' }, 'unknown'), true, { 'data-metric': 'model-cost' }) : cell(dollars(model.costMicroUsd), true, { 'data-metric': 'model-cost' })));
  const healthRows = (health ? health.checks : []).map((check) => element('tr', { 'data-check': check.name },
    cell(element('span', {}, element('span', { class: 'dot ' + check.status }), check.name)), cell(check.kind), cell(check.status), cell(milliseconds(check.latencyMs), true)));
  const slowRows = summary.database.slowestByName.map((query) => element('tr', {}, cell(query.name), cell(count(query.slowQueries), true)));
  const errorRows = report.recentErrors.slice(0, 8).map((error) => element('tr', {},
    cell(new Date(error.timestamp).toISOString().slice(11, 19)), cell(error.source), cell(error.code), cell(error.route || dash), cell(error.requestId || dash)));

  root.replaceChildren(
    tiles,
    goals,
    satisfactionPanel,
    ...experimentPanels,
    element('div', { class: 'grid two' }, latencyChart, targetsPanel),
    element('div', { class: 'grid three' }, hitChart, tokenChart, requestChart),
    element('div', { class: 'grid three' }, trendRequests, trendQuality, alertPanel),
    element('div', { class: 'grid tables' },
      panel('Cache by kind', table([['Kind'], ['Hits', true], ['Misses', true], ['Stale', true], ['Hit rate', true]], kindRows, 'No cache lookups.')),
      panel('Models & cost', table([['Model'], ['Calls', true], ['Input', true], ['Cached', true], ['Output', true], ['Cost', true]], modelRows, 'No model calls.')),
      element('div', { class: 'stack' },
        panel('Health', table([['Check'], ['Kind'], ['Status'], ['Latency', true]], healthRows, 'No health checks configured.')),
        panel('Slow queries', table([['Query'], ['Slow runs', true]], slowRows, 'No slow queries.')))),
    panel('Recent errors', table([['Time (UTC)'], ['Source'], ['Code'], ['Route'], ['Request']], errorRows, 'No errors.')),
  );
  const charts = pendingCharts;
  pendingCharts = [];
  for (const draw of charts) draw();
  document.body.setAttribute('data-rendered', 'true');
}

let current = JSON.parse(document.getElementById('neptune-data').textContent);
render(current);
let resizeTimer;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => render(current), 150);
});
setInterval(async () => {
  const url = new URL(location.href);
  url.searchParams.set('format', 'json');
  try {
    const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (response.ok) render((current = await response.json()));
  } catch {
    // Keep showing the last figures; the "Updated" time tells how old they are.
  }
}, 60000);
`;
