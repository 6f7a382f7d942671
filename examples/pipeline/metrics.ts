/**
 * Metrics from Neptune's telemetry: six requests (retrieval with its result cache, context assembly and a
 * call to the offline model) with @neptune/observability recording them, then the summary it computes:
 * latency p50/p95 per stage, cache hit rate, tokens and cost ($0 for the offline models, unknown for a model with no price).
 *
 *   pnpm --filter @neptune/examples-pipeline metrics
 *   pnpm --filter @neptune/examples-pipeline metrics -- --serve        # and the dashboard on port 4319
 *   pnpm --filter @neptune/examples-pipeline metrics -- --serve=8080
 */
import { randomBytes } from 'node:crypto';
import { createAdminHandlers, type LatencyFigures } from '@neptune/observability';
import { runMetrics } from './src/metrics-run';
import { serveHandlers } from './src/serve-handlers';

const { summary, modelLatency, store } = await runMetrics();
const { requests, retrieval, cache, tokens, cost } = summary;

const ms = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} ms`);
const row = (stage: string, figures: LatencyFigures) =>
  `  ${stage.padEnd(22)} ${String(figures.count).padStart(5)} ${ms(figures.p50Ms).padStart(10)} ${ms(figures.p95Ms).padStart(10)}`;

console.log(`${requests.total} requests, ${requests.failed} failed (last hour, all workspaces)\n`);
console.log(`  ${'stage'.padEnd(22)} ${'count'.padStart(5)} ${'p50'.padStart(10)} ${'p95'.padStart(10)}`);
console.log(row('request (end to end)', requests.latency));
console.log(row('retrieval (uncached)', retrieval.latency));
console.log(row('model call', modelLatency));
console.log(
  `\nCache: ${cache.hits} hits, ${cache.misses} misses, hit rate ${((cache.hitRate ?? 0) * 100).toFixed(0)}%`,
);
for (const kind of cache.byKind) console.log(`  ${kind.kind}: ${kind.hits} hits, ${kind.misses} misses`);
console.log(
  `Tokens: ${tokens.input} input, ${tokens.output} output (${requests.averagePassages} passages per request)`,
);
for (const model of cost.models) {
  const price =
    model.costMicroUsd === null
      ? 'cost unknown (not in the price table)'
      : `$${(model.costMicroUsd / 1e6).toFixed(6)}`;
  console.log(`Cost: ${model.model}, ${model.calls} calls: ${price}`);
}
console.log(
  `Known cost $${(cost.knownCostMicroUsd / 1e6).toFixed(6)}${cost.complete ? '' : ' + unknown'} (prices as of ${cost.pricesAsOf})`,
);

const serve = process.argv.slice(2).find((value) => value.startsWith('--serve'));
if (serve) {
  const port = Number(serve.split('=')[1] ?? 4319);
  // Every handler asks the guard first: here, a key in the URL (the dashboard keeps it in its own links).
  const key = randomBytes(12).toString('hex');
  const handlers = createAdminHandlers({
    store,
    authorize: (request) =>
      new URL(request.url).searchParams.get('key') === key ? { admin: true, allWorkspaces: true } : null,
  });
  await serveHandlers(
    { '/': handlers.dashboard, '/metrics': handlers.neptune, '/prometheus': handlers.prometheus },
    port,
  );
  console.log(
    `\nDashboard: http://127.0.0.1:${port}/?key=${key}  (also /metrics and /prometheus; Ctrl-C to stop)`,
  );
}
