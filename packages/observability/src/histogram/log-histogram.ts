/**
 * Relative accuracy of every quantile a `LogHistogram` reports: the answer is within 1% of the exact
 * sample at that rank. Fixed for the whole package so that any two histograms (from two processes, two
 * minutes, or Redis) can be merged by adding bucket counts.
 */
export const HISTOGRAM_RELATIVE_ACCURACY = 0.01;

const GAMMA = (1 + HISTOGRAM_RELATIVE_ACCURACY) / (1 - HISTOGRAM_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** The bucket index used for zero and negative values, which have no logarithm. */
export const ZERO_BUCKET = Number.NEGATIVE_INFINITY;

/**
 * The bucket a value falls in: bucket `i` holds values in (γ^(i-1), γ^i], γ = (1+α)/(1-α). This is
 * DDSketch's logarithmic mapping; it needs no configured range and stays under ~1,000 buckets from
 * microseconds to hours.
 */
export function histogramBucketIndex(value: number): number {
  return value > 0 ? Math.ceil(Math.log(value) / LOG_GAMMA) : ZERO_BUCKET;
}

/** The value reported for a bucket: within α of both of its edges, hence of anything inside it. */
export function histogramBucketValue(index: number): number {
  return index === ZERO_BUCKET ? 0 : (2 * GAMMA ** index) / (GAMMA + 1);
}

/** The serialisable form of a histogram: plain numbers, for JSON and for tests. */
export interface LogHistogramData {
  readonly count: number;
  readonly sum: number;
  readonly zeroCount: number;
  /** `[bucket index, count]` pairs. */
  readonly buckets: ReadonlyArray<readonly [number, number]>;
}

/**
 * A mergeable histogram with logarithmic buckets. Stores counts per bucket, never raw samples, so its
 * size depends on the spread of values, not on how many were recorded; two histograms merge by adding
 * counts. Quantiles are within `HISTOGRAM_RELATIVE_ACCURACY` of the exact nearest-rank quantile.
 */
export class LogHistogram {
  #buckets = new Map<number, number>();
  #sortedIndexes: number[] | undefined;
  count = 0;
  sum = 0;
  zeroCount = 0;

  /** Records one value. NaN and infinities are ignored; zero and negative values count as 0. */
  record(value: number): void {
    if (!Number.isFinite(value)) return;
    this.recordAt(histogramBucketIndex(value), value);
  }

  /** Records a value whose bucket index the caller computed already (one logarithm for many histograms). */
  recordAt(index: number, value: number): void {
    this.count++;
    if (index === ZERO_BUCKET) {
      this.zeroCount++;
      return;
    }
    this.sum += value;
    this.addToBucket(index, 1);
  }

  /** Adds `count` values to a bucket, as when reading buckets back from storage. Sum and count are separate. */
  addToBucket(index: number, count: number): void {
    const previous = this.#buckets.get(index);
    if (previous === undefined) this.#sortedIndexes = undefined;
    this.#buckets.set(index, (previous ?? 0) + count);
  }

  merge(other: LogHistogram): void {
    this.count += other.count;
    this.sum += other.sum;
    this.zeroCount += other.zeroCount;
    for (const [index, count] of other.#buckets) this.addToBucket(index, count);
  }

  /** Mean of the recorded values, exact (from the running sum); `undefined` when empty. */
  mean(): number | undefined {
    return this.count === 0 ? undefined : this.sum / this.count;
  }

  /**
   * The value at quantile `q` (0..1) by the nearest-rank definition, within the relative accuracy;
   * `undefined` when empty.
   */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(0, Math.ceil(Math.min(1, Math.max(0, q)) * this.count) - 1);
    if (rank < this.zeroCount) return 0;
    let seen = this.zeroCount;
    for (const index of this.#sorted()) {
      seen += this.#buckets.get(index)!;
      if (seen > rank) return histogramBucketValue(index);
    }
    // Only reachable when counts were read back inconsistent (a partial write): answer the top bucket.
    const indexes = this.#sorted();
    return indexes.length === 0 ? 0 : histogramBucketValue(indexes[indexes.length - 1]!);
  }

  /** `[index, count]` pairs in ascending index order. */
  buckets(): Array<[number, number]> {
    return this.#sorted().map((index) => [index, this.#buckets.get(index)!]);
  }

  toJSON(): LogHistogramData {
    return { count: this.count, sum: this.sum, zeroCount: this.zeroCount, buckets: this.buckets() };
  }

  static fromJSON(data: LogHistogramData): LogHistogram {
    const histogram = new LogHistogram();
    histogram.count = data.count;
    histogram.sum = data.sum;
    histogram.zeroCount = data.zeroCount;
    for (const [index, count] of data.buckets) histogram.addToBucket(index, count);
    return histogram;
  }

  #sorted(): number[] {
    this.#sortedIndexes ??= [...this.#buckets.keys()].sort((a, b) => a - b);
    return this.#sortedIndexes;
  }
}
