import { LogHistogram } from '../histogram/log-histogram';

/**
 * Counters and histograms for one time bucket of one scope. Everything in it merges by addition, which
 * is what lets minute buckets roll up into hours, and several instances share one Redis.
 */
export class MetricsAggregate {
  readonly counters = new Map<string, number>();
  readonly histograms = new Map<string, LogHistogram>();

  increment(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  /** The histogram under `name`, created empty on first use. */
  histogramFor(name: string): LogHistogram {
    let histogram = this.histograms.get(name);
    if (histogram === undefined) {
      histogram = new LogHistogram();
      this.histograms.set(name, histogram);
    }
    return histogram;
  }

  counter(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  /** Counters whose name starts with `prefix`, keyed by the rest of the name (a cache kind, a model). */
  countersWithPrefix(prefix: string): Map<string, number> {
    const found = new Map<string, number>();
    for (const [name, value] of this.counters) {
      if (name.startsWith(prefix)) found.set(name.slice(prefix.length), value);
    }
    return found;
  }

  merge(other: MetricsAggregate): void {
    for (const [name, value] of other.counters) this.increment(name, value);
    for (const [name, histogram] of other.histograms) this.histogramFor(name).merge(histogram);
  }

  get isEmpty(): boolean {
    return this.counters.size === 0 && this.histograms.size === 0;
  }

  /** Merges many aggregates into a new one. */
  static combine(aggregates: Iterable<MetricsAggregate>): MetricsAggregate {
    const combined = new MetricsAggregate();
    for (const aggregate of aggregates) combined.merge(aggregate);
    return combined;
  }
}
