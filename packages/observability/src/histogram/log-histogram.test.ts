import { describe, expect, it } from 'vitest';
import { HISTOGRAM_RELATIVE_ACCURACY, LogHistogram } from './log-histogram';

/** The exact nearest-rank quantile: the sample at rank ceil(q·n) - 1 of the sorted samples. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** A seeded generator (mulberry32), so a failure can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const distributions: Record<string, (random: () => number) => number> = {
  // Request latencies: long right tail around ~1 s.
  'log-normal latency (ms)': (random) => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(7 + 0.6 * normal);
  },
  'uniform 0.05..5 ms (fast cache reads)': (random) => 0.05 + random() * 4.95,
  'exponential, mean 120 ms (db queries)': (random) => -120 * Math.log(1 - random()),
  'integers 1..40 (retrieved passages)': (random) => 1 + Math.floor(random() * 40),
};

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
// Floating-point rounding at a bucket edge may land a value in the neighbouring bucket, which is still
// within α of it; this slack covers only that rounding, not a looser bound.
const BOUND = HISTOGRAM_RELATIVE_ACCURACY * (1 + 1e-9);

describe('LogHistogram accuracy against exact percentiles', () => {
  for (const [name, draw] of Object.entries(distributions)) {
    it(`keeps every quantile within ${HISTOGRAM_RELATIVE_ACCURACY * 100}% for ${name}`, () => {
      const random = seededRandom(name.length * 7919);
      const samples = Array.from({ length: 20_000 }, () => draw(random));
      const histogram = new LogHistogram();
      for (const sample of samples) histogram.record(sample);
      const sorted = [...samples].sort((a, b) => a - b);
      for (const q of QUANTILES) {
        const exact = exactQuantile(sorted, q);
        const estimate = histogram.quantile(q)!;
        expect(
          Math.abs(estimate - exact) / exact,
          `q=${q} exact=${exact} estimate=${estimate}`,
        ).toBeLessThanOrEqual(BOUND);
      }
      expect(histogram.count).toBe(samples.length);
      expect(histogram.mean()).toBeCloseTo(
        samples.reduce((total, value) => total + value, 0) / samples.length,
        6,
      );
    });
  }

  it('merges shards into exactly the histogram of the union, so instances can aggregate', () => {
    const random = seededRandom(42);
    const samples = Array.from({ length: 9_000 }, () => Math.exp(3 + 2 * random()));
    const whole = new LogHistogram();
    const shards = [new LogHistogram(), new LogHistogram(), new LogHistogram()];
    samples.forEach((sample, index) => {
      whole.record(sample);
      shards[index % 3]!.record(sample);
    });
    const merged = new LogHistogram();
    for (const shard of shards) merged.merge(shard);
    expect(merged.buckets()).toEqual(whole.buckets());
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(merged.quantile(q)! - exact) / exact).toBeLessThanOrEqual(BOUND);
    }
  });

  it('stores bucket counts, not samples: a million values stay in a few hundred buckets', () => {
    const random = seededRandom(7);
    const histogram = new LogHistogram();
    for (let index = 0; index < 1_000_000; index++) histogram.record(1 + random() * 9_999);
    expect(histogram.buckets().length).toBeLessThan(500);
    expect(histogram.count).toBe(1_000_000);
  });

  it('counts zero and negative values as 0, ignores NaN, and answers undefined when empty', () => {
    const histogram = new LogHistogram();
    expect(histogram.quantile(0.5)).toBeUndefined();
    expect(histogram.mean()).toBeUndefined();
    histogram.record(0);
    histogram.record(-3);
    histogram.record(Number.NaN);
    histogram.record(10);
    expect(histogram.count).toBe(3);
    expect(histogram.quantile(0.5)).toBe(0);
    expect(histogram.quantile(1)).toBeCloseTo(10, 0);
  });

  it('round-trips through JSON unchanged', () => {
    const histogram = new LogHistogram();
    for (const value of [0, 1.5, 2, 250, 250, 9_000]) histogram.record(value);
    const copy = LogHistogram.fromJSON(JSON.parse(JSON.stringify(histogram.toJSON())));
    expect(copy.toJSON()).toEqual(histogram.toJSON());
    expect(copy.quantile(0.95)).toBe(histogram.quantile(0.95));
  });
});
