import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../metrics/metrics-store';
import { BASE_TIME_MS, describeMetricsStoreContract } from '../testing/describe-metrics-store-contract';
import { memoryMetricsStore } from './memory-metrics-store';

describeMetricsStoreContract({
  name: 'memory',
  create: () => memoryMetricsStore({ now: () => BASE_TIME_MS }),
});

describe('memoryMetricsStore retention', () => {
  it('drops minute, hour and day buckets after their retention (3 hours, 8 days, 90 days by default)', async () => {
    let nowMs = BASE_TIME_MS;
    const store = memoryMetricsStore({ now: () => nowMs });
    store.writer('acme', BASE_TIME_MS).increment('requests');
    nowMs = BASE_TIME_MS + 3 * HOUR_MS + MINUTE_MS;
    const query = { view: { workspaceId: 'acme' }, fromMs: BASE_TIME_MS, toMs: nowMs } as const;
    expect(await store.read({ ...query, resolution: 'minute' })).toEqual([]);
    expect(await store.read({ ...query, resolution: 'hour' })).toHaveLength(1);
    nowMs = BASE_TIME_MS + 8 * 24 * HOUR_MS + HOUR_MS;
    expect(await store.read({ ...query, toMs: nowMs, resolution: 'hour' })).toEqual([]);
    expect(await store.read({ ...query, toMs: nowMs, resolution: 'day' })).toHaveLength(1);
    nowMs = BASE_TIME_MS + 91 * DAY_MS;
    expect(await store.read({ ...query, toMs: nowMs, resolution: 'day' })).toEqual([]);
  });

  it('refuses a retention shorter than the views need, naming the option', () => {
    expect(() => memoryMetricsStore({ minuteRetentionMs: 1_000 })).toThrow(
      /minuteRetentionMs.*at least an hour/,
    );
    expect(() => memoryMetricsStore({ dayRetentionMs: 7 * DAY_MS })).toThrow(/dayRetentionMs.*30 days/);
  });
});
