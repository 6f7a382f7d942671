import { ConfigurationError, createTelemetryChannel, type NeptuneEvent } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { OPENAI_PRICES } from '../cost/price-table';
import { memoryMetricsStore } from '../in-memory/memory-metrics-store';
import { rangeWindow } from '../metrics/metrics-range';
import type { MetricsView } from '../metrics/metrics-store';
import { evaluateTargets } from '../metrics/metrics-targets';
import { summarizeMetrics } from '../metrics/summarize-metrics';
import { startObservability } from '../start-observability';
import { emitAll, requestEvents } from '../testing/simulated-traffic';
import { metricsRecorder } from './metrics-recorder';

const NOW_MS = Date.UTC(2026, 10, 2, 10, 30, 0);

function setUp(options: { includeErrorMessages?: boolean; slowQueryThresholdMs?: number } = {}) {
  const telemetry = createTelemetryChannel();
  const store = memoryMetricsStore({ now: () => NOW_MS });
  const observability = startObservability({ telemetry, sinks: [metricsRecorder({ store, ...options })] });
  const summary = async (view: MetricsView) => {
    const window = rangeWindow('hour', NOW_MS);
    const buckets = await store.read({
      view,
      resolution: window.resolution,
      fromMs: window.fromMs,
      toMs: window.toMs,
    });
    return summarizeMetrics(buckets, window, OPENAI_PRICES);
  };
  return { telemetry, store, observability, summary };
}

describe('metricsRecorder', () => {
  it("counts memory's suggestions shown, accepted and rejected, as an acceptance rate with a target", async () => {
    const { telemetry, observability, summary } = setUp();
    const base = { timestamp: NOW_MS - 1_000, scope: { workspaceId: 'acme', userId: 'ana' } };
    telemetry.emit({ type: 'suggestion-shown', ...base, kind: 'pattern', count: 3 });
    telemetry.emit({ type: 'suggestion-shown', ...base, kind: 'timing', count: 1 });
    for (const accepted of [true, true, false])
      telemetry.emit({ type: 'suggestion-feedback', ...base, kind: 'pattern', accepted });
    telemetry.emit({ type: 'suggestion-feedback', ...base, kind: 'timing', accepted: false });
    await observability.flush();
    const figures = await summary({ workspaceId: 'acme' });
    expect(figures.suggestions).toMatchObject({ shown: 4, accepted: 2, rejected: 2, acceptanceRate: 0.5 });
    expect(figures.suggestions.byKind).toEqual([
      { kind: 'pattern', shown: 3, accepted: 2, rejected: 1, acceptanceRate: 2 / 3 },
      { kind: 'timing', shown: 1, accepted: 0, rejected: 1, acceptanceRate: 0 },
    ]);
    const target = evaluateTargets(figures).find((result) => result.id === 'suggestion-acceptance');
    expect(target).toMatchObject({ actual: 0.5, target: 0.4, status: 'met' });
  });

  it('figures each experiment variant apart and holds its satisfaction against the control', async () => {
    const { telemetry, observability, summary } = setUp();
    const run = (variant: string, index: number, positive: boolean, durationMs: number) => {
      const requestId = `${variant}-${index}`;
      const experiment = { id: 'rerank', variant };
      const base = { timestamp: NOW_MS - 1_000, scope: { workspaceId: 'acme' }, requestId };
      telemetry.emit({ type: 'request-start', ...base, experiment });
      telemetry.emit({
        type: 'model-call',
        ...base,
        scope: undefined,
        provider: 'openai',
        model: 'gpt-4o-mini',
        operation: 'stream',
        inputTokens: variant === 'control' ? 1_000 : 2_000,
        outputTokens: 100,
        durationMs,
      });
      telemetry.emit({
        type: 'request-end',
        ...base,
        durationMs,
        ok: true,
        passages: 4,
        citedPassages: variant === 'control' ? 2 : 4,
        experiment,
      });
      telemetry.emit({ type: 'feedback', ...base, positive, score: positive ? 1 : 0, experiment });
    };
    // Control: 40 requests, 20 satisfied (50%); rerank: 40 requests, 32 satisfied (80%).
    for (let index = 0; index < 40; index++) {
      run('control', index, index < 20, 1_000);
      run('rerank', index, index < 32, 1_500);
    }
    await observability.flush();
    const [experiment] = (await summary({ workspaceId: 'acme' })).experiments;
    expect(experiment!.id).toBe('rerank');
    const [control, rerank] = experiment!.variants;
    expect(control).toMatchObject({
      id: 'control',
      requests: 40,
      ratings: 40,
      positive: 20,
      satisfaction: 0.5,
      contextUtilisation: 0.5,
      averageTokens: 1_100,
    });
    expect(rerank).toMatchObject({
      id: 'rerank',
      requests: 40,
      ratings: 40,
      positive: 32,
      satisfaction: 0.8,
      contextUtilisation: 1,
      averageTokens: 2_100,
    });
    expect(control!.latency.p50Ms).toBeCloseTo(1_000, -1);
    expect(rerank!.latency.p50Ms).toBeCloseTo(1_500, -1);
    expect(rerank!.costPerRequestMicroUsd).toBeGreaterThan(control!.costPerRequestMicroUsd!);
    const [comparison] = experiment!.comparisons;
    // Pooled p = 0.65, standard error = sqrt(0.65 × 0.35 × (2/40)) = 0.10665: z = 0.3 / 0.10665 = 2.813.
    expect(comparison).toMatchObject({ variant: 'rerank', control: 'control', verdict: 'roll-out' });
    expect(comparison!.lift).toBeCloseTo(0.6);
    expect(comparison!.zScore).toBeCloseTo(2.813, 2);
    expect(comparison!.pValue).toBeLessThan(0.01);
  });

  it('counts ratings as satisfaction per workspace, the per-workspace table in the total only', async () => {
    const { telemetry, observability, summary } = setUp();
    const rate = (workspaceId: string, positive: boolean, score: number) =>
      telemetry.emit({
        type: 'feedback',
        timestamp: NOW_MS - 1_000,
        scope: { workspaceId, userId: 'u' },
        requestId: `r-${Math.random()}`,
        positive,
        score,
      });
    rate('acme', true, 1);
    rate('acme', true, 0.75);
    rate('acme', false, 0);
    rate('globex', false, 0.25);
    await observability.flush();
    const acme = await summary({ workspaceId: 'acme' });
    expect(acme.feedback).toMatchObject({ ratings: 3, positive: 2, byWorkspace: [] });
    expect(acme.feedback.satisfaction).toBeCloseTo(2 / 3);
    expect(acme.feedback.averageScore).toBeCloseTo(1.75 / 3);
    expect(acme.series.reduce((sum, point) => sum + point.ratings, 0)).toBe(3);
    const all = await summary({ allWorkspaces: true });
    expect(all.feedback.satisfaction).toBeCloseTo(2 / 4);
    expect(all.feedback.byWorkspace).toEqual([
      { workspaceId: 'acme', ratings: 3, satisfaction: 2 / 3 },
      { workspaceId: 'globex', ratings: 1, satisfaction: 0 },
    ]);
    const globex = await summary({ workspaceId: 'globex' });
    expect(globex.feedback.byWorkspace).toEqual([]);
    expect(globex.feedback.satisfaction).toBe(0);
  });

  it('counts context utilisation and degraded requests by part from request-end', async () => {
    const { telemetry, observability, summary } = setUp();
    const end = (requestId: string, figures: Partial<NeptuneEvent & { type: 'request-end' }>) =>
      telemetry.emit({
        type: 'request-end',
        timestamp: NOW_MS - 1_000,
        scope: { workspaceId: 'acme' },
        requestId,
        durationMs: 100,
        ok: true,
        ...figures,
      } as NeptuneEvent);
    end('u1', { passages: 4, citedPassages: 3, degraded: [] });
    end('u2', {
      passages: 2,
      citedPassages: 1,
      degraded: ['memory', 'knowledge.vector', 'knowledge.keyword'],
    });
    // A request that says nothing of citations does not count towards utilisation.
    end('u3', { passages: 5, degraded: ['memory'] });
    await observability.flush();
    const { requests } = await summary({ workspaceId: 'acme' });
    expect(requests.contextUtilisation).toBeCloseTo(4 / 6);
    expect(requests.degraded).toBe(2);
    expect(requests.degradedByPart).toEqual({ memory: 2, knowledge: 1 });
  });

  it('records requests, cache per kind, retrieval, pruning, tokens and cost from the events of real requests', async () => {
    const { telemetry, summary } = setUp();
    emitAll(
      telemetry,
      requestEvents({
        workspaceId: 'acme',
        requestId: 'r1',
        endMs: NOW_MS - 30_000,
        durationMs: 1_000,
        cacheHits: [{ kind: 'crm' }, { kind: 'rag', tokensSaved: 900 }],
        cacheMisses: ['calendar'],
        passages: 6,
        model: 'gpt-4o-mini',
        inputTokens: 4_000,
        cachedInputTokens: 1_000,
        outputTokens: 500,
      }),
    );
    emitAll(
      telemetry,
      requestEvents({
        workspaceId: 'acme',
        requestId: 'r2',
        endMs: NOW_MS + 1_000,
        durationMs: 3_000,
        cacheHits: [{ kind: 'crm' }],
        cacheMisses: ['rag', 'calendar'],
        passages: 0,
        model: 'gpt-4o-mini',
        inputTokens: 6_000,
        cachedInputTokens: 0,
        outputTokens: 700,
        ok: false,
      }),
    );
    const figures = await summary({ workspaceId: 'acme' });
    expect(figures.requests).toMatchObject({ total: 2, failed: 1, errorRate: 0.5, averagePassages: 3 });
    expect(figures.requests.latency.averageMs).toBe(2_000);
    expect(figures.requests.latency.p50Ms).toBeCloseTo(1_000, -1);
    expect(figures.cache).toMatchObject({ hits: 3, misses: 3, hitRate: 0.5 });
    expect(figures.cache.byKind).toEqual([
      { kind: 'calendar', hits: 0, misses: 2, stale: 0, errors: 0, hitRate: 0 },
      { kind: 'crm', hits: 2, misses: 0, stale: 0, errors: 0, hitRate: 1 },
      { kind: 'rag', hits: 1, misses: 1, stale: 0, errors: 0, hitRate: 0.5 },
    ]);
    expect(figures.retrieval).toMatchObject({ searches: 2, averageResults: 3, emptyRate: 0.5 });
    expect(figures.tokens).toEqual({
      input: 10_000,
      cachedInput: 1_000,
      output: 1_200,
      savedByPruning: 4_800,
      savedByCache: 900,
      pruningRate: 0.4,
    });
    // gpt-4o-mini: 9,000 × 0.15 + 1,000 × 0.075 + 1,200 × 0.60 = 1,350 + 75 + 720 micro-dollars
    expect(figures.cost).toMatchObject({ knownCostMicroUsd: 2_145, complete: true, unpricedModels: [] });
    expect(figures.cost.models).toEqual([
      expect.objectContaining({ model: 'gpt-4o-mini', calls: 2, costMicroUsd: 2_145, priced: true }),
    ]);
    // The model-call events carry no scope: they count for acme through their request id.
    expect(figures.series.at(-2)).toMatchObject({ requests: 1, tokens: 4_500, failedRequests: 0 });
    expect(figures.series.at(-1)).toMatchObject({ requests: 1, tokens: 6_700, failedRequests: 1 });
  });

  it('counts a workspace only in its own figures and in the total', async () => {
    const { telemetry, summary } = setUp();
    const request = { endMs: NOW_MS, durationMs: 500, cacheHits: [], cacheMisses: [], passages: 1 };
    const usage = { model: 'gpt-4o', inputTokens: 100, cachedInputTokens: 0, outputTokens: 10 };
    emitAll(telemetry, requestEvents({ ...request, ...usage, workspaceId: 'acme', requestId: 'a' }));
    emitAll(telemetry, requestEvents({ ...request, ...usage, workspaceId: 'globex', requestId: 'g' }));
    emitAll(telemetry, requestEvents({ ...request, ...usage, workspaceId: 'globex', requestId: 'g2' }));
    expect((await summary({ workspaceId: 'acme' })).requests.total).toBe(1);
    expect((await summary({ workspaceId: 'globex' })).requests.total).toBe(2);
    expect((await summary({ allWorkspaces: true })).requests.total).toBe(3);
    expect((await summary({ workspaceId: 'acme' })).tokens.input).toBe(100);
  });

  it('reports an unknown model with its tokens and an unknown cost, never $0', async () => {
    const { telemetry, summary } = setUp();
    telemetry.emit({
      type: 'model-call',
      timestamp: NOW_MS,
      scope: { workspaceId: 'acme' },
      provider: 'openai',
      model: 'acme-finetune',
      operation: 'chat',
      inputTokens: 1_000,
      outputTokens: 50,
      durationMs: 400,
    });
    const { cost } = await summary({ workspaceId: 'acme' });
    expect(cost.models).toEqual([
      expect.objectContaining({ model: 'acme-finetune', inputTokens: 1_000, costMicroUsd: null }),
    ]);
    expect(cost).toMatchObject({ complete: false, unpricedModels: ['acme-finetune'] });
  });

  it('counts queries over the threshold (or flagged slow by the emitter) as slow, by name', async () => {
    const { telemetry, summary } = setUp({ slowQueryThresholdMs: 100 });
    const query = (name: string, durationMs: number, slow = false): NeptuneEvent => ({
      type: 'db-query',
      timestamp: NOW_MS,
      scope: { workspaceId: 'acme' },
      name,
      durationMs,
      slow,
    });
    emitAll(telemetry, [
      query('crm.leads', 100),
      query('crm.leads', 101),
      query('crm.leads', 450),
      query('messages.recent', 40, true),
    ]);
    const { database } = await summary({ workspaceId: 'acme' });
    expect(database).toMatchObject({ queries: 4, slowQueries: 3 });
    expect(database.slowestByName).toEqual([
      { name: 'crm.leads', slowQueries: 2 },
      { name: 'messages.recent', slowQueries: 1 },
    ]);
  });

  it('keeps errors with their context but without the message unless the app opts in', async () => {
    const error = (message: string): NeptuneEvent => ({
      type: 'error',
      timestamp: NOW_MS,
      requestId: 'r9',
      source: 'openai',
      code: 'rate-limited',
      message,
      retryable: true,
    });
    const plain = setUp();
    plain.telemetry.emit({
      type: 'request-start',
      timestamp: NOW_MS - 10,
      requestId: 'r9',
      scope: { workspaceId: 'acme' },
      route: '/chat',
    });
    plain.telemetry.emit(error('quota hit while answering "my salary is 90k"'));
    const [kept] = await plain.store.recentErrors({ workspaceId: 'acme' }, 5);
    expect(kept).toEqual({
      timestamp: NOW_MS,
      source: 'openai',
      code: 'rate-limited',
      retryable: true,
      workspaceId: 'acme',
      requestId: 'r9',
      route: '/chat',
      message: undefined,
    });
    expect(JSON.stringify(kept)).not.toContain('salary');
    expect((await plain.summary({ workspaceId: 'acme' })).errors).toEqual({
      total: 1,
      bySource: { openai: 1 },
      byCode: { 'rate-limited': 1 },
    });

    const optedIn = setUp({ includeErrorMessages: true });
    optedIn.telemetry.emit(error('x'.repeat(1_000)));
    const [withMessage] = await optedIn.store.recentErrors({ allWorkspaces: true }, 5);
    expect(withMessage?.message).toHaveLength(300);
  });

  it('stops recording after stop(), and refuses a missing store with a ConfigurationError', async () => {
    const { telemetry, observability, summary } = setUp();
    observability.stop();
    expect(telemetry.active).toBe(false);
    telemetry.emit({ type: 'request-end', timestamp: NOW_MS, durationMs: 5, ok: true });
    expect((await summary({ allWorkspaces: true })).requests.total).toBe(0);
    expect(() => metricsRecorder({} as never)).toThrow(ConfigurationError);
    expect(() => metricsRecorder({} as never)).toThrow(/store: must be a MetricsStore/);
  });
});

describe('startObservability flush', () => {
  it('reports a failing and a hanging sink without rejecting', async () => {
    const telemetry = createTelemetryChannel();
    const observability = startObservability({
      telemetry,
      sinks: [
        { name: 'ok', subscribe: () => () => {}, flush: async () => {} },
        { name: 'broken', subscribe: () => () => {}, flush: () => Promise.reject(new Error('down')) },
        { name: 'hanging', subscribe: () => () => {}, flush: () => new Promise(() => {}) },
      ],
    });
    const report = await observability.flush({ timeoutMs: 20 });
    expect(report.ok).toBe(false);
    expect(report.failed.map((failure) => failure.sink)).toEqual(['broken']);
    expect(report.timedOut).toEqual(['hanging']);
  });
});
