import { checkArgument } from '@neptune/core';
import { bucketStart, DAY_MS, HOUR_MS, type MetricsResolution, MINUTE_MS } from './metrics-store';

/** The time ranges the admin handlers and the dashboard show. */
export const METRICS_RANGES = ['hour', 'day', 'week', 'month'] as const;
/** A time range the admin handlers and the dashboard show: `hour`, `day`, `week` or `month`. */
export type MetricsRange = (typeof METRICS_RANGES)[number];

/**
 * The buckets a range reads: the hour by minute, the day and the week by hour, the month (30 days) by UTC
 * day, ending with the current one.
 */
export interface RangeWindow {
  readonly range: MetricsRange;
  readonly resolution: MetricsResolution;
  /** Start of the first bucket (epoch ms). */
  readonly fromMs: number;
  /** Start of the last bucket, the one holding `nowMs`. */
  readonly toMs: number;
  readonly nowMs: number;
  readonly bucketStarts: readonly number[];
  /** Hours covered, from the first bucket's start to now: the divisor of "per hour" rates. */
  readonly hours: number;
}

const SHAPE: Record<MetricsRange, { resolution: MetricsResolution; buckets: number; stepMs: number }> = {
  hour: { resolution: 'minute', buckets: 60, stepMs: MINUTE_MS },
  day: { resolution: 'hour', buckets: 24, stepMs: HOUR_MS },
  week: { resolution: 'hour', buckets: 168, stepMs: HOUR_MS },
  month: { resolution: 'day', buckets: 30, stepMs: DAY_MS },
};

/** The buckets to read for a range ending now (`nowMs`, epoch ms). */
export function rangeWindow(range: MetricsRange, nowMs: number): RangeWindow {
  checkArgument(Object.hasOwn(SHAPE, range), 'rangeWindow: range', '"hour", "day", "week" or "month"', range);
  const { resolution, buckets, stepMs } = SHAPE[range];
  const toMs = bucketStart(nowMs, resolution);
  const fromMs = toMs - (buckets - 1) * stepMs;
  const bucketStarts = Array.from({ length: buckets }, (_, index) => fromMs + index * stepMs);
  return {
    range,
    resolution,
    fromMs,
    toMs,
    nowMs,
    bucketStarts,
    hours: Math.max(nowMs - fromMs, MINUTE_MS) / HOUR_MS,
  };
}
