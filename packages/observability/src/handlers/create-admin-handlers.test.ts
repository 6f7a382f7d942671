import { ConfigurationError, createTelemetryChannel, type NeptuneEvent } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import type { HealthCheck } from '../health/health-check';
import { memoryMetricsStore } from '../in-memory/memory-metrics-store';
import { HOUR_MS, MINUTE_MS } from '../metrics/metrics-store';
import { emitAll, requestEvents } from '../testing/simulated-traffic';
import { metricsRecorder } from '../trackers/metrics-recorder';
import { firstMatchingGuard } from './admin-access';
import { bearerTokenGuard } from './bearer-token-guard';
import { createAdminHandlers } from './create-admin-handlers';
import { emailAllowlistGuard } from './email-allowlist-guard';

const NOW_MS = Date.UTC(2026, 10, 2, 10, 30, 0);
const OPERATOR_TOKEN = 'operator-token-0123456789abcdef';
const ACME_TOKEN = 'acme-token-0123456789abcdefghij';

function request(path: string, headers: Record<string, string> = {}, method = 'GET'): Request {
  return new Request(`https://app.example${path}`, { method, headers });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** acme: one request now; globex: two now, one 3 hours ago and one 2 days ago. */
function setUp({
  includeErrorMessages = false,
  ...options
}: {
  healthChecks?: HealthCheck[];
  onError?: (error: unknown) => void;
  includeErrorMessages?: boolean;
} = {}) {
  const telemetry = createTelemetryChannel();
  const store = memoryMetricsStore({ now: () => NOW_MS });
  metricsRecorder({ store, includeErrorMessages }).subscribe(telemetry);
  const traffic = (workspaceId: string, requestId: string, endMs: number, durationMs: number) =>
    emitAll(
      telemetry,
      requestEvents({
        workspaceId,
        requestId,
        endMs,
        durationMs,
        cacheHits: [{ kind: 'crm' }],
        cacheMisses: [],
        passages: 4,
        model: 'gpt-4o-mini',
        inputTokens: 1_000,
        cachedInputTokens: 0,
        outputTokens: 100,
      }),
    );
  traffic('acme', 'a1', NOW_MS - MINUTE_MS, 800);
  traffic('globex', 'g1', NOW_MS - 2 * MINUTE_MS, 1_500);
  traffic('globex', 'g2', NOW_MS - 5 * MINUTE_MS, 2_500);
  traffic('globex', 'g3', NOW_MS - 3 * HOUR_MS, 900);
  traffic('globex', 'g4', NOW_MS - 2 * 24 * HOUR_MS, 700);
  telemetry.emit({
    type: 'error',
    timestamp: NOW_MS - MINUTE_MS,
    scope: { workspaceId: 'globex' },
    source: 'rag',
    code: 'timeout',
    message: 'globex secret',
    retryable: true,
  } satisfies NeptuneEvent);
  const handlers = createAdminHandlers({
    store,
    authorize: bearerTokenGuard({
      tokens: [
        { token: OPERATOR_TOKEN, allWorkspaces: true },
        { token: ACME_TOKEN, workspaceId: 'acme' },
      ],
    }),
    now: () => NOW_MS,
    ...options,
  });
  return { handlers, telemetry };
}

describe('admin handlers: authentication and authorisation', () => {
  it('answers 401 with a challenge without credentials or with an unknown token', async () => {
    const { handlers } = setUp();
    for (const handler of Object.values(handlers)) {
      const response = await handler(request('/api/admin/metrics'));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
    }
    const wrong = await handlers.neptune(request('/api/admin/metrics/neptune', bearer('x'.repeat(32))));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('answers 403 to a signed-in user who is not on the allowlist', async () => {
    const store = memoryMetricsStore();
    const handlers = createAdminHandlers({
      store,
      authorize: emailAllowlistGuard({
        emails: ['Ada@Acme.example'],
        getSession: (incoming) => {
          const email = incoming.headers.get('x-test-email');
          return email === null ? null : { email, workspaceId: 'acme' };
        },
      }),
    });
    expect((await handlers.summary(request('/m'))).status).toBe(401);
    expect((await handlers.summary(request('/m', { 'x-test-email': 'eve@acme.example' }))).status).toBe(403);
    // Case-insensitive match on the allowlist.
    const allowed = await handlers.summary(request('/m', { 'x-test-email': 'ada@acme.example' }));
    expect(allowed.status).toBe(200);
    expect((await allowed.json()).workspace).toBe('acme');
  });

  it('answers 405 to anything but GET, and 500 (reported to onError) when the guard returns nonsense', async () => {
    const errors: unknown[] = [];
    const handlers = createAdminHandlers({
      store: memoryMetricsStore(),
      authorize: () => ({ admin: true }) as never,
      onError: (error) => errors.push(error),
    });
    expect((await handlers.neptune(request('/m', {}, 'POST'))).status).toBe(405);
    const response = await handlers.neptune(request('/m'));
    expect(response.status).toBe(500);
    expect(String(errors[0])).toMatch(/authorize guard/);
  });

  it('refuses options without a store or guard, naming them', () => {
    expect(() => createAdminHandlers({} as never)).toThrow(ConfigurationError);
    expect(() => createAdminHandlers({ store: memoryMetricsStore() } as never)).toThrow(/authorize/);
  });
});

describe('admin handlers: workspace isolation', () => {
  it("shows a workspace admin their workspace's figures and errors only, and 403 for another workspace", async () => {
    const { handlers } = setUp();
    const own = await (await handlers.neptune(request('/n', bearer(ACME_TOKEN)))).json();
    expect(own.workspace).toBe('acme');
    expect(own.summary.requests.total).toBe(1);
    expect(own.summary.tokens.input).toBe(1_000);
    expect(own.recentErrors).toEqual([]);
    expect(JSON.stringify(own)).not.toContain('globex');

    for (const handler of Object.values(handlers)) {
      const response = await handler(request('/n?workspace=globex', bearer(ACME_TOKEN)));
      expect(response.status).toBe(403);
    }
    expect((await handlers.neptune(request('/n?workspace=acme', bearer(ACME_TOKEN)))).status).toBe(200);
  });

  it('keeps the Prometheus text and dashboard data of a workspace admin to their workspace', async () => {
    const { handlers, telemetry } = setUp();
    for (const [workspaceId, positive] of [
      ['acme', true],
      ['globex', false],
    ] as const) {
      telemetry.emit({
        type: 'feedback',
        timestamp: NOW_MS,
        scope: { workspaceId },
        positive,
        score: positive ? 1 : 0,
      });
    }
    const acmeText = await (await handlers.prometheus(request('/p', bearer(ACME_TOKEN)))).text();
    expect(acmeText).toContain('neptune_satisfaction_ratio{window="1h",workspace="all"} 1\n');
    expect(acmeText).not.toContain('globex');
    const operatorText = await (await handlers.prometheus(request('/p', bearer(OPERATOR_TOKEN)))).text();
    expect(operatorText).toContain('neptune_satisfaction_ratio{window="1h",workspace="all"} 0.5\n');
    expect(operatorText).toContain('neptune_satisfaction_ratio{window="1h",workspace="globex"} 0\n');
    expect(operatorText).toContain('neptune_feedback_ratings{window="1h",positive="true"} 1\n');
    const text = await (await handlers.prometheus(request('/p', bearer(ACME_TOKEN)))).text();
    expect(text).toContain('neptune_requests{window="1h"} 1\n');
    const data = await (await handlers.dashboard(request('/d?format=json', bearer(ACME_TOKEN)))).json();
    expect(data.report.summary.requests.total).toBe(1);
    expect(data.report.recentErrors).toEqual([]);
  });

  it('shows an operator every workspace together, or the one asked for', async () => {
    const { handlers } = setUp();
    const all = await (await handlers.neptune(request('/n', bearer(OPERATOR_TOKEN)))).json();
    expect(all.workspace).toBeNull();
    expect(all.summary.requests.total).toBe(3);
    const globex = await (
      await handlers.neptune(request('/n?workspace=globex', bearer(OPERATOR_TOKEN)))
    ).json();
    expect(globex.summary.requests.total).toBe(2);
    expect(globex.recentErrors).toEqual([
      expect.objectContaining({ source: 'rag', code: 'timeout', workspaceId: 'globex' }),
    ]);
    // Messages are not kept by default.
    expect(JSON.stringify(globex)).not.toContain('globex secret');
    const bad = await handlers.neptune(request('/n?workspace=a:b', bearer(OPERATOR_TOKEN)));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/workspace/);
  });
});

describe('admin handlers: ranges', () => {
  it('reads the hour by minute, the day and the week by hour, the month by day', async () => {
    const { handlers } = setUp();
    const read = async (range: string) =>
      (
        await (
          await handlers.neptune(request(`/n?range=${range}&workspace=globex`, bearer(OPERATOR_TOKEN)))
        ).json()
      ).summary;
    const hour = await read('hour');
    const day = await read('day');
    const week = await read('week');
    expect([hour.resolution, hour.series.length, hour.requests.total]).toEqual(['minute', 60, 2]);
    expect([day.resolution, day.series.length, day.requests.total]).toEqual(['hour', 24, 3]);
    expect([week.resolution, week.series.length, week.requests.total]).toEqual(['hour', 168, 4]);
    const month = await read('month');
    expect([month.resolution, month.series.length, month.requests.total]).toEqual(['day', 30, 4]);
    // 2026-11-02: today's bucket holds the three requests of today, two days ago the fourth.
    expect(month.series.at(-1)).toMatchObject({ startMs: Date.UTC(2026, 10, 2), requests: 3 });
    expect(month.series.at(-3)).toMatchObject({ startMs: Date.UTC(2026, 9, 31), requests: 1 });
    expect(hour.series.at(-1).startMs).toBe(NOW_MS);
    expect(hour.series.filter((point: { requests: number }) => point.requests > 0)).toHaveLength(2);
  });

  it('answers 400 naming the parameter for an unknown range', async () => {
    const { handlers } = setUp();
    const response = await handlers.neptune(request('/n?range=year', bearer(OPERATOR_TOKEN)));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/range.*hour, day, week or month/);
  });

  it('holds the figures against the targets', async () => {
    const { handlers } = setUp();
    const body = await (
      await handlers.neptune(request('/n?workspace=globex', bearer(OPERATOR_TOKEN)))
    ).json();
    const byId = Object.fromEntries(body.targets.map((target: { id: string }) => [target.id, target]));
    // globex in the last hour: 1,500 and 2,500 ms → average 2,000 ms, on the 2 s target.
    expect(byId['response-time-average']).toMatchObject({ actual: 2_000, target: 2_000, status: 'met' });
    expect(byId['cache-hit-rate']).toMatchObject({ actual: 1, status: 'met' });
    expect(byId['token-reduction']).toMatchObject({ actual: 0.4, status: 'met' });
    expect(byId['error-rate']).toMatchObject({ actual: 0, status: 'met' });
    // No ratings yet: never reported as met.
    expect(byId.satisfaction).toMatchObject({ actual: null, target: 0.8, status: 'no-data' });
    expect(byId['context-utilisation']).toMatchObject({ target: 0.9 });
  });

  it('summary puts the last hour and the last day side by side', async () => {
    const { handlers } = setUp();
    const body = await (
      await handlers.summary(request('/s?workspace=globex', bearer(OPERATOR_TOKEN)))
    ).json();
    expect(body.lastHour.requests.total).toBe(2);
    expect(body.lastDay.requests.total).toBe(3);
    expect(body.lastHour.series).toBeUndefined();
    expect(body.health).toBeNull();
  });
});

describe('health, Prometheus and dashboard handlers', () => {
  it('answers 503 when a critical dependency is down, and 501 when nothing is configured', async () => {
    const down: HealthCheck = {
      name: 'postgres',
      kind: 'postgres',
      check: async () => {
        throw new Error('ECONNREFUSED');
      },
    };
    const withChecks = setUp({ healthChecks: [down] });
    const response = await withChecks.handlers.health(request('/h', bearer(ACME_TOKEN)));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'unhealthy',
      checks: [{ name: 'postgres', status: 'down' }],
    });
    expect((await setUp().handlers.health(request('/h', bearer(ACME_TOKEN)))).status).toBe(501);
  });

  it('writes Prometheus text with gauges per window, model tokens and unknown costs', async () => {
    const { handlers, telemetry } = setUp();
    telemetry.emit({
      type: 'model-call',
      timestamp: NOW_MS,
      provider: 'openai',
      model: 'acme "ft"',
      operation: 'chat',
      inputTokens: 10,
      outputTokens: 1,
      durationMs: 5,
    });
    const response = await handlers.prometheus(request('/p?range=day', bearer(OPERATOR_TOKEN)));
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('# TYPE neptune_requests gauge\nneptune_requests{window="24h"} 4\n');
    expect(text).toContain('neptune_model_tokens{window="24h",model="gpt-4o-mini",type="input"} 4000\n');
    expect(text).toContain('neptune_model_cost_unknown{window="24h",model="acme \\"ft\\""} 1\n');
    expect(text).not.toMatch(/neptune_model_cost_usd\{[^}]*acme/);
    expect(text).toMatch(/neptune_request_duration_milliseconds\{window="24h",quantile="0.95"\} [\d.]+\n/);
  });

  it('serves a self-contained page under a nonce CSP, with data that cannot break out of its script', async () => {
    const { handlers, telemetry } = setUp();
    telemetry.emit({
      type: 'cache-hit',
      timestamp: NOW_MS,
      scope: { workspaceId: 'acme' },
      kind: '</script><script>alert(1)</script>',
      durationMs: 1,
    });
    const response = await handlers.dashboard(request('/admin/performance?range=day', bearer(ACME_TOKEN)));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await response.text();
    expect(csp).toContain("default-src 'none'");
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('href="/admin/performance?range=week"');
    expect(html).toMatch(/<a href="\/admin\/performance\?range=day" class="active"/);
  });

  it("never shows a workspace admin a dependency's raw error, only an operator", async () => {
    const refused: HealthCheck = {
      name: 'redis',
      kind: 'redis',
      check: async () => {
        throw new Error('connect ECONNREFUSED 10.0.3.7:6379');
      },
    };
    const { handlers } = setUp({ healthChecks: [refused] });
    for (const handler of [handlers.health, handlers.summary, handlers.dashboard, handlers.prometheus]) {
      const asAdmin = await (await handler(request('/x?format=json', bearer(ACME_TOKEN)))).text();
      expect(asAdmin).not.toContain('ECONNREFUSED');
      expect(asAdmin).not.toContain('10.0.3.7');
    }
    const asOperator = await (await handlers.health(request('/h', bearer(OPERATOR_TOKEN)))).json();
    expect(asOperator.checks[0]).toMatchObject({
      status: 'down',
      error: 'connect ECONNREFUSED 10.0.3.7:6379',
    });
  });

  it('keeps error messages (which can hold dependency errors) from workspace admins', async () => {
    const { handlers, telemetry } = setUp({ includeErrorMessages: true });
    telemetry.emit({
      type: 'error',
      timestamp: NOW_MS - MINUTE_MS,
      scope: { workspaceId: 'acme' },
      source: 'cache',
      code: 'store-unavailable',
      message: 'connect ECONNREFUSED 10.0.3.7:6379',
      retryable: true,
    } satisfies NeptuneEvent);
    const asAdmin = await (await handlers.neptune(request('/n', bearer(ACME_TOKEN)))).json();
    expect(asAdmin.recentErrors).toEqual([expect.objectContaining({ code: 'store-unavailable' })]);
    expect(JSON.stringify(asAdmin)).not.toContain('ECONNREFUSED');
    const asOperator = await (await handlers.neptune(request('/n', bearer(OPERATOR_TOKEN)))).json();
    expect(asOperator.recentErrors.map((error: { message?: string }) => error.message)).toContain(
      'connect ECONNREFUSED 10.0.3.7:6379',
    );
  });

  it('never turns a request path like //evil.example into an off-site range link', async () => {
    const { handlers } = setUp();
    for (const path of ['//evil.example/admin/performance', '/\\evil.example/admin/performance']) {
      const html = await (await handlers.dashboard(request(path, bearer(ACME_TOKEN)))).text();
      expect(html).not.toMatch(/href="(https?:)?[/\\]{2}/);
      expect(html).toContain('href="/evil.example/admin/performance?range=week"');
    }
  });

  it('combines guards: the first that recognises the request decides', async () => {
    const store = memoryMetricsStore();
    const authorize = firstMatchingGuard(
      bearerTokenGuard({ tokens: [{ token: OPERATOR_TOKEN, allWorkspaces: true }] }),
      () => ({ admin: true, workspaceId: 'acme' }),
    );
    const handlers = createAdminHandlers({ store, authorize });
    expect(
      (await (await handlers.neptune(request('/n', bearer(OPERATOR_TOKEN)))).json()).workspace,
    ).toBeNull();
    expect((await (await handlers.neptune(request('/n'))).json()).workspace).toBe('acme');
  });
});

describe('bearerTokenGuard options', () => {
  it('refuses short tokens and a token with neither a workspace nor allWorkspaces', () => {
    expect(() => bearerTokenGuard({ tokens: [{ token: 'short', allWorkspaces: true }] })).toThrow(
      /at least 24/,
    );
    expect(() => bearerTokenGuard({ tokens: [{ token: OPERATOR_TOKEN }] })).toThrow(
      /exactly one of workspaceId/,
    );
  });

  it('falls back to NEPTUNE_METRICS_TOKEN, and says so when neither is set', async () => {
    const previous = process.env.NEPTUNE_METRICS_TOKEN;
    try {
      delete process.env.NEPTUNE_METRICS_TOKEN;
      expect(() => bearerTokenGuard()).toThrow(/NEPTUNE_METRICS_TOKEN/);
      process.env.NEPTUNE_METRICS_TOKEN = OPERATOR_TOKEN;
      expect(await bearerTokenGuard()(request('/', bearer(OPERATOR_TOKEN)))).toEqual({
        admin: true,
        allWorkspaces: true,
      });
    } finally {
      if (previous === undefined) delete process.env.NEPTUNE_METRICS_TOKEN;
      else process.env.NEPTUNE_METRICS_TOKEN = previous;
    }
  });
});
