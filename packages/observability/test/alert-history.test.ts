import { memoryKeyValueStore } from '@neptune/cache';
import { redisKeyValueStore } from '@neptune/cache/redis';
import { createTelemetryChannel, type KeyValueStore } from '@neptune/core';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_WORKSPACES_ALERT_SCOPE, AlertHistory } from '../src/alerts/alert-history';
import { bearerTokenGuard } from '../src/handlers/bearer-token-guard';
import { createAdminHandlers } from '../src/handlers/create-admin-handlers';
import { memoryMetricsStore } from '../src/in-memory/memory-metrics-store';
import type { TargetResult } from '../src/metrics/metrics-targets';
import { metricsRecorder } from '../src/trackers/metrics-recorder';

const target = (status: TargetResult['status'], actual: number | null): TargetResult => ({
  id: 'error-rate',
  label: 'Failed requests',
  unit: 'ratio',
  comparison: 'at-most',
  target: 0.01,
  actual,
  status,
});

function describeAlertHistory(name: string, createStore: () => KeyValueStore) {
  describe(`alert history on ${name}`, () => {
    const store = createStore();
    afterAll(async () => {
      for (const workspaceId of ['acme', 'globex', ALL_WORKSPACES_ALERT_SCOPE.workspaceId])
        await store.clear({ workspaceId });
      await store.close();
    });

    it('records each breach and recovery once, however many instances see it at the same time', async () => {
      const instances = [0, 1, 2, 3].map(() => new AlertHistory(store));
      const view = { workspaceId: 'acme' };
      const seen = async (result: TargetResult, at: number) =>
        (await Promise.all(instances.map((history) => history.record(view, [result], at)))).flat();
      expect(await seen(target('met', 0), 1_000)).toEqual([]); // met from the start: nothing to record
      expect(await seen(target('missed', 0.05), 2_000)).toHaveLength(1);
      expect(await seen(target('missed', 0.08), 3_000)).toEqual([]); // still breached
      expect(await seen(target('no-data', null), 4_000)).toEqual([]); // a quiet hour changes nothing
      expect(await seen(target('met', 0.001), 5_000)).toHaveLength(1);
      expect(await seen(target('missed', 0.2), 6_000)).toHaveLength(1);
      const history = await instances[0]!.list(view, 10);
      expect(history.map((event) => [event.kind, event.at, event.actual])).toEqual([
        ['breach', 6_000, 0.2],
        ['recovery', 5_000, 0.001],
        ['breach', 2_000, 0.05],
      ]);
      // Kept per view: another workspace and the all-workspaces view have their own.
      expect(await instances[0]!.list({ workspaceId: 'globex' }, 10)).toEqual([]);
      expect(await instances[0]!.list({ allWorkspaces: true }, 10)).toEqual([]);
    });
  });
}

describeAlertHistory('the in-memory store', () => memoryKeyValueStore());
describeWithService('REDIS_URL', 'alert history on a real Redis', (url) => {
  describeAlertHistory('Redis', () => redisKeyValueStore({ url, prefix: `${randomTestId('nal')}:` }));
});

describe('admin handlers with an alert store', () => {
  it('records a breach when the hour is evaluated, and the dashboard shows it with the 30-day trend', async () => {
    let nowMs = Date.UTC(2026, 10, 2, 10, 30);
    const telemetry = createTelemetryChannel();
    const metrics = memoryMetricsStore({ now: () => nowMs });
    metricsRecorder({ store: metrics }).subscribe(telemetry);
    const token = 'operator-token-0123456789abcdef';
    const handlers = createAdminHandlers({
      store: metrics,
      authorize: bearerTokenGuard({ tokens: [{ token, allWorkspaces: true }] }),
      now: () => nowMs,
      alerts: { store: memoryKeyValueStore() },
      targets: { 'response-time-average': 1_000 },
    });
    const end = (durationMs: number, daysAgo = 0) =>
      telemetry.emit({
        type: 'request-end',
        timestamp: nowMs - daysAgo * 86_400_000 - 1_000,
        scope: { workspaceId: 'acme' },
        durationMs,
        ok: true,
      });
    end(500, 12);
    end(3_000);
    const dashboard = async () =>
      (await (
        await handlers.dashboard(
          new Request('https://app.example/admin?format=json', {
            headers: { authorization: `Bearer ${token}` },
          }),
        )
      ).json()) as {
        trend: Array<{ startMs: number; requests: number }>;
        alerts: Array<{ kind: string; targetId: string }>;
      };
    const first = await dashboard();
    expect(first.trend).toHaveLength(30);
    expect(first.trend.filter((point) => point.requests > 0).map((point) => point.startMs)).toEqual([
      Date.UTC(2026, 9, 21),
      Date.UTC(2026, 10, 2),
    ]);
    expect(first.alerts).toEqual([
      expect.objectContaining({ kind: 'breach', targetId: 'response-time-average' }),
    ]);
    // Two hours later the slow request is out of the hour and a fast one is in: recovered, once.
    nowMs += 2 * 3_600_000;
    end(200);
    await dashboard();
    const later = await dashboard();
    expect(later.alerts.map((alert) => `${alert.kind} ${alert.targetId}`)).toEqual([
      'recovery response-time-average',
      'breach response-time-average',
    ]);
  });
});
