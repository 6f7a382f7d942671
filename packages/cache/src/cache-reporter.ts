import { NeptuneError, type TelemetryChannel } from '@neptune/core';
import type { CacheAddress } from './cache-key';
import type { CircuitState } from './circuit-breaker';

/** Counters for one kind (or all of them). */
export interface CacheKindStats {
  /** getOrSet and get calls. */
  readonly requests: number;
  /** Served fresh from the memory tier or the store. */
  readonly hits: number;
  /** Served stale inside the grace period while a refresh ran (or after the loader failed). */
  readonly staleHits: number;
  /** Waited for a load another call in this process had already started. */
  readonly coalesced: number;
  /** Not in the cache: the loader ran (or, for get, undefined was returned). */
  readonly misses: number;
  readonly loaderErrors: number;
  readonly refreshes: number;
  readonly refreshErrors: number;
  /** Store calls that failed or timed out (the request was served anyway). */
  readonly storeErrors: number;
  /** Share of requests answered without running the loader: (hits + staleHits + coalesced) / requests. */
  readonly hitRate: number;
}

/** Hits, misses and the rest since the cache was created, in total and per kind, with the breaker's state. */
export interface CacheStats {
  readonly total: CacheKindStats;
  readonly kinds: Readonly<Record<string, CacheKindStats>>;
  readonly breaker: CircuitState;
  /** Times the breaker opened since the cache was created. */
  readonly breakerOpened: number;
}

type Counters = { -readonly [Key in Exclude<keyof CacheKindStats, 'hitRate'>]: number };

const emptyCounters = (): Counters => ({
  requests: 0,
  hits: 0,
  staleHits: 0,
  coalesced: 0,
  misses: 0,
  loaderErrors: 0,
  refreshes: 0,
  refreshErrors: 0,
  storeErrors: 0,
});

function withHitRate(counters: Counters): CacheKindStats {
  const served = counters.hits + counters.staleHits + counters.coalesced;
  return { ...counters, hitRate: counters.requests === 0 ? 0 : served / counters.requests };
}

const errorCode = (error: unknown) => (NeptuneError.isInstance(error) ? error.code : 'unknown');

/**
 * Counts and reports what the cache does: stats per kind, and telemetry events (`cache-hit`, `cache-miss`,
 * `cache-stale`, `cache-refresh`, `cache-error`, `cache-breaker`) with kind, tier and latency. Event
 * objects are built only when someone listens.
 */
export class CacheReporter {
  readonly #kinds = new Map<string, Counters>();
  readonly #telemetry: TelemetryChannel;
  #breaker: CircuitState = 'closed';
  #breakerOpened = 0;

  constructor(telemetry: TelemetryChannel) {
    this.#telemetry = telemetry;
  }

  #count(kind: string): Counters {
    let counters = this.#kinds.get(kind);
    if (counters === undefined) {
      counters = emptyCounters();
      this.#kinds.set(kind, counters);
    }
    return counters;
  }

  #event(address: CacheAddress, startedAt: number, tier?: string) {
    const { workspaceId, userId } = address.scope;
    return {
      timestamp: Date.now(),
      scope: { workspaceId, userId },
      kind: address.kind,
      durationMs: performance.now() - startedAt,
      tier,
    };
  }

  hit(address: CacheAddress, tier: string, startedAt: number): void {
    const counters = this.#count(address.kind);
    counters.requests++;
    counters.hits++;
    if (this.#telemetry.active)
      this.#telemetry.emit({ type: 'cache-hit', ...this.#event(address, startedAt, tier) });
  }

  coalesced(address: CacheAddress, startedAt: number): void {
    const counters = this.#count(address.kind);
    counters.requests++;
    counters.coalesced++;
    if (this.#telemetry.active) {
      this.#telemetry.emit({ type: 'cache-hit', ...this.#event(address, startedAt, 'in-flight') });
    }
  }

  miss(address: CacheAddress, startedAt: number): void {
    const counters = this.#count(address.kind);
    counters.requests++;
    counters.misses++;
    if (this.#telemetry.active)
      this.#telemetry.emit({ type: 'cache-miss', ...this.#event(address, startedAt) });
  }

  stale(
    address: CacheAddress,
    reason: 'grace' | 'loader-failed' | 'store-down',
    tier: string,
    startedAt: number,
  ) {
    const counters = this.#count(address.kind);
    counters.requests++;
    counters.staleHits++;
    if (this.#telemetry.active) {
      this.#telemetry.emit({ type: 'cache-stale', reason, ...this.#event(address, startedAt, tier) });
    }
  }

  loaderError(address: CacheAddress): void {
    this.#count(address.kind).loaderErrors++;
  }

  refresh(address: CacheAddress, ok: boolean, startedAt: number): void {
    const counters = this.#count(address.kind);
    counters.refreshes++;
    if (!ok) counters.refreshErrors++;
    if (this.#telemetry.active)
      this.#telemetry.emit({ type: 'cache-refresh', ok, ...this.#event(address, startedAt) });
  }

  storeError(kind: string, operation: string, error: unknown, startedAt: number, tier: string): void {
    this.#count(kind).storeErrors++;
    if (this.#telemetry.active) {
      this.#telemetry.emit({
        type: 'cache-error',
        timestamp: Date.now(),
        kind,
        operation,
        errorCode: errorCode(error),
        durationMs: performance.now() - startedAt,
        tier,
      });
    }
  }

  breaker(store: string, state: CircuitState): void {
    this.#breaker = state;
    if (state === 'open') this.#breakerOpened++;
    if (this.#telemetry.active)
      this.#telemetry.emit({ type: 'cache-breaker', timestamp: Date.now(), store, state });
  }

  snapshot(): CacheStats {
    const total = emptyCounters();
    const entries: Array<[string, CacheKindStats]> = [];
    for (const [kind, counters] of this.#kinds) {
      entries.push([kind, withHitRate(counters)]);
      for (const name of Object.keys(total) as (keyof Counters)[]) total[name] += counters[name];
    }
    // fromEntries defines own properties: a kind named `__proto__` is a key like any other, not the prototype.
    const kinds: Record<string, CacheKindStats> = Object.fromEntries(entries);
    return { total: withHitRate(total), kinds, breaker: this.#breaker, breakerOpened: this.#breakerOpened };
  }
}
