import { LruMap } from '@neptune/core';
import type { CacheAddress } from './cache-key';
import type { CacheReporter } from './cache-reporter';
import type { LockResult, StoreLock } from './store-lock';

export interface BackgroundRefreshOptions {
  /** Undefined when the store is not shared: one refresh per process is then one refresh in all. */
  readonly lock: StoreLock | undefined;
  readonly reporter: CacheReporter;
  readonly refreshBackoffMs: number;
  readonly now: () => number;
}

/**
 * Refreshes stale entries off the request path: at most one refresh per key in the process, and, through
 * the store lock, in all processes. A refresh that fails starts a back-off during which the stale value
 * keeps being served without calling the loader again, so a failing database is not hit once per request.
 */
export class BackgroundRefresh {
  readonly #options: BackgroundRefreshOptions;
  readonly #running = new Set<string>();
  readonly #backoff: LruMap<true>;

  constructor(options: BackgroundRefreshOptions) {
    this.#options = options;
    this.#backoff = new LruMap({ maxEntries: 10_000, maxBytes: Number.POSITIVE_INFINITY, now: options.now });
  }

  /** True while a failed refresh of this key is backing off. */
  failing(address: CacheAddress): boolean {
    return this.#backoff.has(address.localKey);
  }

  /** Starts `refresh` unless one is running or backing off; `useLock` is false when the store is unreadable. */
  start(address: CacheAddress, useLock: boolean, refresh: () => Promise<void>): void {
    const key = address.localKey;
    if (this.#running.has(key) || this.#backoff.has(key)) return;
    this.#running.add(key);
    const startedAt = performance.now();
    const { lock, reporter } = this.#options;
    void (async () => {
      let held: LockResult = 'unavailable';
      try {
        if (useLock && lock !== undefined) {
          held = await lock.acquire(address);
          // Another process is refreshing this key already.
          if (held === 'busy') return;
        }
        await refresh();
        reporter.refresh(address, true, startedAt);
      } catch {
        this.#backoff.set(key, true, 0, this.#options.now() + this.#options.refreshBackoffMs);
        reporter.refresh(address, false, startedAt);
      } finally {
        this.#running.delete(key);
        if (held === 'acquired') lock?.release(address);
      }
    })();
  }
}
