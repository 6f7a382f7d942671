import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTelemetryChannel } from '@neptune/core';
import { chromiumLaunchOptions, describeWithChromium } from '@neptune/core/testing';
import { Redis } from 'ioredis';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPENAI_PRICES } from '../src/cost/price-table';
import { bearerTokenGuard } from '../src/handlers/bearer-token-guard';
import { createAdminHandlers } from '../src/handlers/create-admin-handlers';
import { modelProviderHealthCheck, redisHealthCheck } from '../src/health/dependency-health-checks';
import type { HealthCheck } from '../src/health/health-check';
import { memoryMetricsStore } from '../src/in-memory/memory-metrics-store';
import { rangeWindow } from '../src/metrics/metrics-range';
import type { MetricsSummary } from '../src/metrics/metrics-summary';
import { summarizeMetrics } from '../src/metrics/summarize-metrics';
import { metricsRecorder } from '../src/trackers/metrics-recorder';
import { emitHourOfTraffic } from './mission-control-traffic';
import { serveHandlers } from './serve-handlers';

// The docs' screenshot is refreshed on request (NEPTUNE_UPDATE_SCREENSHOTS=1); other runs write to a temporary
// file, so that running the tests never changes the repository.
const SCREENSHOT = process.env.NEPTUNE_UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, '../../../docs/images/dashboard.png')
  : join(tmpdir(), `neptune-dashboard-${process.pid}.png`);
/** A fixed "now", so the page (and its screenshot) is the same on every run. */
const NOW_MS = Date.UTC(2026, 10, 2, 10, 30, 45);
const ACME_TOKEN = 'acme-dashboard-token-0123456789';

// The page's own formatting, restated: the test compares what the page shows with the store's figures.
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const milliseconds = (value: number | null) => (value === null ? '–' : `${count(value)} ms`);
const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

describeWithChromium('Mission Control dashboard in headless Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveHandlers>>;
  let provider: Server;
  let redis: Redis | undefined;
  let expected: MetricsSummary;

  beforeAll(async () => {
    const telemetry = createTelemetryChannel();
    const store = memoryMetricsStore({ now: () => NOW_MS });
    metricsRecorder({ store }).subscribe(telemetry);
    emitHourOfTraffic(telemetry, { workspaceId: 'acme', nowMs: NOW_MS, seed: 7, requestsPerMinute: 14 });
    emitHourOfTraffic(telemetry, { workspaceId: 'globex', nowMs: NOW_MS, seed: 99, requestsPerMinute: 40 });
    const window = rangeWindow('hour', NOW_MS);
    expected = summarizeMetrics(
      await store.read({
        view: { workspaceId: 'acme' },
        resolution: 'minute',
        fromMs: window.fromMs,
        toMs: window.toMs,
      }),
      window,
      OPENAI_PRICES,
    );

    // The model provider's /models, spoken over HTTP by a local server; Redis is the real one when set.
    provider = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'),
    );
    await new Promise<void>((ready) => provider.listen(0, '127.0.0.1', ready));
    const healthChecks: HealthCheck[] = [
      modelProviderHealthCheck({
        name: 'openai',
        baseUrl: `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`,
      }),
    ];
    if (process.env.REDIS_URL) {
      redis = new Redis(process.env.REDIS_URL);
      healthChecks.unshift(redisHealthCheck(redis, { name: 'redis' }));
    }
    const handlers = createAdminHandlers({
      store,
      authorize: bearerTokenGuard({ tokens: [{ token: ACME_TOKEN, workspaceId: 'acme' }] }),
      healthChecks,
      now: () => NOW_MS,
    });
    server = await serveHandlers({ '/admin/performance': handlers.dashboard });
    browser = await chromium.launch(chromiumLaunchOptions());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((closed) => (provider ? provider.close(() => closed()) : closed()));
    await redis?.quit();
  });

  it('loads, draws the charts from the recorded metrics, shows the same figures, and nothing else', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
    await context.setExtraHTTPHeaders({ authorization: `Bearer ${ACME_TOKEN}` });
    const page = await context.newPage();
    const problems: string[] = [];
    const requested: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requested.push(request.url()));

    const response = await page.goto(`${server.url}/admin/performance?range=hour`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('body[data-rendered="true"]');

    // Charts: one point per minute that had requests, drawn as an SVG path.
    const minutesWithRequests = expected.series.filter((point) => point.latencyP95Ms !== null).length;
    expect(minutesWithRequests).toBeGreaterThan(50);
    const p95Path = page.locator('path[data-series="latency-p95"]');
    expect(await p95Path.getAttribute('data-points')).toBe(String(minutesWithRequests));
    expect(((await p95Path.getAttribute('d')) ?? '').match(/[ML]/g)).toHaveLength(minutesWithRequests);
    expect(await page.locator('path[data-series="cache-hit-rate"]').getAttribute('data-points')).toBe(
      String(expected.series.filter((point) => point.cacheHitRate !== null).length),
    );
    expect(await page.locator('g[data-series="tokens"] rect').count()).toBe(
      expected.series.filter((point) => point.tokens > 0).length,
    );
    expect(await page.locator('line[data-target]').count()).toBeGreaterThanOrEqual(2);

    // Figures: what the page shows is what the store holds for acme.
    const shown = (metric: string) => page.locator(`[data-metric="${metric}"]`).first().textContent();
    expect(await shown('requests')).toBe(count(expected.requests.total));
    expect(await shown('latency-p95')).toBe(milliseconds(expected.requests.latency.p95Ms));
    expect(await shown('cache-hit-rate')).toBe(percent(expected.cache.hitRate));
    expect(await shown('error-rate')).toBe(percent(expected.requests.errorRate));
    expect(await shown('cost')).toBe(`$${(expected.cost.knownCostMicroUsd / 1e6).toFixed(2)}+ unknown`);
    expect(
      await page.locator('tr[data-model="acme-finetune"] [data-metric="model-cost"]').textContent(),
    ).toBe('unknown');
    expect(await page.locator('tr[data-check="openai"]').textContent()).toContain('up');

    // Isolation, and self-containment: only this origin was contacted; no CSP or script errors.
    expect(await page.content()).not.toContain('globex');
    expect(requested.every((url) => url.startsWith(server.url))).toBe(true);
    expect(problems).toEqual([]);

    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();
  });
});
