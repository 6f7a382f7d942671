import { ScopeError } from '@neptune/core';
import { type ConformanceCase, type ConformanceOptions, defineConformanceSuite } from '@neptune/core/testing';
import { expect } from 'vitest';
import { bucketStart, DAY_MS, HOUR_MS, type MetricsStore, MINUTE_MS } from '../metrics/metrics-store';

/**
 * The start of the current hour: bucket boundaries are known, and Redis keys written for it are still
 * inside their retention (a fixed date in the past would expire on write).
 */
export const BASE_TIME_MS = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;

/** What a metrics store claims beyond the contract: nothing yet, so no test of the suite is optional. */
export type MetricsStoreCapabilities = Record<never, boolean>;

/**
 * How the suite builds and tears down the store under test (the options of every Neptune conformance
 * suite, `defineConformanceSuite` in `@neptune/core/testing`). The store is closed after each test.
 */
export interface MetricsStoreContractOptions
  extends ConformanceOptions<MetricsStore, MetricsStoreCapabilities> {
  /** Removes what the store wrote, after each test (before `destroy`, and before the store is closed). */
  readonly cleanup?: ((store: MetricsStore) => Promise<void>) | undefined;
}

const cases: readonly ConformanceCase<MetricsStore, MetricsStoreCapabilities>[] = [
  {
    name: 'reads back counters and histograms per minute and per hour',
    async run(store) {
      const first = store.writer('acme', BASE_TIME_MS + 5_000);
      first.increment('requests', 2);
      first.observe('request.duration-ms', 100);
      first.observe('request.duration-ms', 300);
      const second = store.writer('acme', BASE_TIME_MS + MINUTE_MS + 1);
      second.increment('requests');
      second.observe('request.duration-ms', 0);
      const minutes = await store.read({
        view: { workspaceId: 'acme' },
        resolution: 'minute',
        fromMs: BASE_TIME_MS,
        toMs: BASE_TIME_MS + 10 * MINUTE_MS,
      });
      expect(minutes.map((bucket) => bucket.startMs)).toEqual([BASE_TIME_MS, BASE_TIME_MS + MINUTE_MS]);
      expect(minutes.map((bucket) => bucket.aggregate.counter('requests'))).toEqual([2, 1]);
      const firstHistogram = minutes[0]!.aggregate.histograms.get('request.duration-ms')!;
      expect(firstHistogram.count).toBe(2);
      expect(firstHistogram.sum).toBeCloseTo(400, 6);
      expect(firstHistogram.quantile(1)).toBeCloseTo(300, -1);
      expect(minutes[1]!.aggregate.histograms.get('request.duration-ms')!.zeroCount).toBe(1);

      const hours = await store.read({
        view: { workspaceId: 'acme' },
        resolution: 'hour',
        fromMs: BASE_TIME_MS,
        toMs: BASE_TIME_MS,
      });
      expect(hours).toHaveLength(1);
      expect(hours[0]!.aggregate.counter('requests')).toBe(3);
      expect(hours[0]!.aggregate.histograms.get('request.duration-ms')!.count).toBe(3);
    },
  },

  {
    name: 'adds every hour of a UTC day into one day bucket, for the 30-day trend',
    async run(store) {
      const today = bucketStart(BASE_TIME_MS, 'day');
      store.writer('acme', today + 1).increment('requests', 2);
      store.writer('acme', today + 23 * HOUR_MS + 59 * MINUTE_MS).increment('requests', 3);
      store.writer('acme', today - DAY_MS + 5 * HOUR_MS).observe('request.duration-ms', 250);
      store.writer('acme', today - 29 * DAY_MS).increment('requests');
      store.writer('globex', today).increment('requests', 100);
      const days = await store.read({
        view: { workspaceId: 'acme' },
        resolution: 'day',
        fromMs: today - 29 * DAY_MS,
        toMs: today,
      });
      expect(days.map((bucket) => (bucket.startMs - today) / DAY_MS)).toEqual([-29, -1, 0]);
      expect(days.map((bucket) => bucket.aggregate.counter('requests'))).toEqual([1, 0, 5]);
      expect(days[1]!.aggregate.histograms.get('request.duration-ms')!.count).toBe(1);
      const total = await store.read({
        view: { allWorkspaces: true },
        resolution: 'day',
        fromMs: today,
        toMs: today,
      });
      expect(total[0]!.aggregate.counter('requests')).toBe(105);
    },
  },

  {
    name: 'keeps workspaces apart, and counts every workspace (and unscoped events) in the total',
    async run(store) {
      store.writer('acme', BASE_TIME_MS).increment('requests', 5);
      store.writer('globex', BASE_TIME_MS).increment('requests', 7);
      store.writer(undefined, BASE_TIME_MS).increment('requests', 1);
      const read = async (view: { workspaceId: string } | { allWorkspaces: true }) =>
        (
          await store.read({ view, resolution: 'hour', fromMs: BASE_TIME_MS, toMs: BASE_TIME_MS })
        )[0]?.aggregate.counter('requests');
      expect(await read({ workspaceId: 'acme' })).toBe(5);
      expect(await read({ workspaceId: 'globex' })).toBe(7);
      expect(await read({ allWorkspaces: true })).toBe(13);
      expect(await read({ workspaceId: 'initech' })).toBeUndefined();
    },
  },

  {
    name: 'returns only non-empty buckets inside the range, oldest first',
    async run(store) {
      for (const offset of [0, 2, 5])
        store.writer('acme', BASE_TIME_MS + offset * HOUR_MS).increment('requests');
      const hours = await store.read({
        view: { workspaceId: 'acme' },
        resolution: 'hour',
        fromMs: BASE_TIME_MS + HOUR_MS,
        toMs: BASE_TIME_MS + 5 * HOUR_MS,
      });
      expect(hours.map((bucket) => (bucket.startMs - BASE_TIME_MS) / HOUR_MS)).toEqual([2, 5]);
    },
  },

  {
    name: 'keeps recent errors per workspace, newest first, and never across workspaces',
    async run(store) {
      for (let index = 0; index < 3; index++) {
        store.recordError({
          timestamp: BASE_TIME_MS + index,
          source: 'rag',
          code: `code-${index}`,
          retryable: false,
          workspaceId: 'acme',
        });
      }
      store.recordError({
        timestamp: BASE_TIME_MS + 9,
        source: 'cache',
        code: 'timeout',
        retryable: true,
        workspaceId: 'globex',
      });
      expect((await store.recentErrors({ workspaceId: 'acme' }, 2)).map((error) => error.code)).toEqual([
        'code-2',
        'code-1',
      ]);
      expect((await store.recentErrors({ workspaceId: 'globex' }, 10)).map((error) => error.code)).toEqual([
        'timeout',
      ]);
      expect(await store.recentErrors({ allWorkspaces: true }, 10)).toHaveLength(4);
    },
  },

  {
    name: 'refuses a view whose workspace id could address the total or another key',
    async run(store) {
      for (const workspaceId of ['*', 'a:b', '']) {
        await expect(
          store.read({ view: { workspaceId }, resolution: 'hour', fromMs: BASE_TIME_MS, toMs: BASE_TIME_MS }),
        ).rejects.toSatisfy((error) => ScopeError.isInstance(error));
      }
    },
  },
];

const describeMetricsStoreConformance = defineConformanceSuite('MetricsStore', cases);

/** The behaviour every `MetricsStore` must have, run against the in-memory, Redis and Upstash stores alike. */
export function describeMetricsStoreContract(options: MetricsStoreContractOptions): void {
  const { cleanup, destroy } = options;
  describeMetricsStoreConformance({
    ...options,
    destroy: async (store) => {
      try {
        await cleanup?.(store);
        await destroy?.(store);
      } finally {
        await store.close();
      }
    },
  });
}
