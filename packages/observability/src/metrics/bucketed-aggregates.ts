import { validateScope } from '@neptune/core';
import { histogramBucketIndex } from '../histogram/log-histogram';
import { MetricsAggregate } from './metrics-aggregate';
import {
  bucketStart,
  METRICS_RESOLUTIONS,
  type MetricsResolution,
  type MetricsView,
  type MetricsWriter,
} from './metrics-store';

/** The internal key of the all-workspaces total. `validateScope` refuses `*`, so no workspace can be named so. */
export const ALL_WORKSPACES = '*';

export interface BucketEntry {
  readonly resolution: MetricsResolution;
  /** A workspace id, or `ALL_WORKSPACES`. */
  readonly workspace: string;
  readonly startMs: number;
  readonly aggregate: MetricsAggregate;
}

/** Fans one event's figures out to the minute, hour and day buckets of its workspace and of the total. */
class FanOutWriter implements MetricsWriter {
  constructor(private readonly targets: readonly MetricsAggregate[]) {}

  increment(name: string, by = 1): void {
    // Counters are integers so that Redis can add them with HINCRBY.
    const amount = Math.round(by);
    if (!Number.isFinite(amount) || amount === 0) return;
    for (const target of this.targets) target.increment(name, amount);
  }

  observe(name: string, value: number): void {
    if (!Number.isFinite(value)) return;
    const index = histogramBucketIndex(value);
    for (const target of this.targets) target.histogramFor(name).recordAt(index, value);
  }
}

const MAX_CACHED_WRITERS = 4_096;

/**
 * Aggregates keyed by resolution, workspace and bucket start. The in-memory store keeps its data in one;
 * the Redis store buffers in one between flushes.
 */
export class BucketedAggregates {
  readonly #aggregates = new Map<string, BucketEntry>();
  // One writer per workspace and minute, reused by every event of that minute: one map lookup per event.
  readonly #writers = new Map<string, FanOutWriter>();

  writer(workspaceId: string | undefined, timestampMs: number): MetricsWriter {
    const minuteStart = bucketStart(timestampMs, 'minute');
    const cacheKey = `${workspaceId ?? ALL_WORKSPACES}|${minuteStart}`;
    let writer = this.#writers.get(cacheKey);
    if (writer === undefined) {
      if (this.#writers.size >= MAX_CACHED_WRITERS) this.#writers.clear();
      writer = new FanOutWriter(this.#targets(workspaceId, timestampMs));
      this.#writers.set(cacheKey, writer);
    }
    return writer;
  }

  get(resolution: MetricsResolution, workspace: string, startMs: number): MetricsAggregate | undefined {
    return this.#aggregates.get(entryKey(resolution, workspace, startMs))?.aggregate;
  }

  entries(): IterableIterator<BucketEntry> {
    return this.#aggregates.values();
  }

  get size(): number {
    return this.#aggregates.size;
  }

  /** Drops buckets of `resolution` that started before `beforeMs`. */
  prune(resolution: MetricsResolution, beforeMs: number): void {
    let removed = false;
    for (const [key, entry] of this.#aggregates) {
      if (entry.resolution === resolution && entry.startMs < beforeMs) {
        this.#aggregates.delete(key);
        removed = true;
      }
    }
    // Cached writers may point at dropped aggregates.
    if (removed) this.#writers.clear();
  }

  /** Adds an aggregate (read back from a failed flush, for example) into the bucket. */
  mergeInto(entry: BucketEntry): void {
    this.#aggregateFor(entry.resolution, entry.workspace, entry.startMs).merge(entry.aggregate);
  }

  #targets(workspaceId: string | undefined, timestampMs: number): MetricsAggregate[] {
    const workspaces = [ALL_WORKSPACES];
    if (workspaceId !== undefined && isValidWorkspace(workspaceId)) workspaces.push(workspaceId);
    const targets: MetricsAggregate[] = [];
    for (const resolution of METRICS_RESOLUTIONS) {
      const startMs = bucketStart(timestampMs, resolution);
      for (const workspace of workspaces) targets.push(this.#aggregateFor(resolution, workspace, startMs));
    }
    return targets;
  }

  #aggregateFor(resolution: MetricsResolution, workspace: string, startMs: number): MetricsAggregate {
    const key = entryKey(resolution, workspace, startMs);
    let entry = this.#aggregates.get(key);
    if (entry === undefined) {
      entry = { resolution, workspace, startMs, aggregate: new MetricsAggregate() };
      this.#aggregates.set(key, entry);
    }
    return entry.aggregate;
  }
}

function entryKey(resolution: MetricsResolution, workspace: string, startMs: number): string {
  return `${resolution}|${workspace}|${startMs}`;
}

/**
 * Events come from our own packages with validated scopes, so this only guards against a hand-built
 * event: its figures still count in the total, never under an id that could not be keyed safely.
 */
export function isValidWorkspace(workspaceId: string): boolean {
  try {
    validateScope({ workspaceId });
    return true;
  } catch {
    return false;
  }
}

/** The bucket key of a view; a workspace id is validated, so a view can never name the total by accident. */
export function viewKey(view: MetricsView): string {
  return 'allWorkspaces' in view
    ? ALL_WORKSPACES
    : validateScope({ workspaceId: view.workspaceId }).workspaceId;
}
