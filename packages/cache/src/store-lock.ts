import type { KeyValueStore } from '@neptune/core';
import type { CacheAddress } from './cache-key';
import type { StoreGuard } from './store-guard';

export type LockResult = 'acquired' | 'busy' | 'unavailable';

/**
 * The short cross-process lock that makes one process run the loader while the others wait for its
 * value: `SET context-lock:… NX PX ttlMs`. It expires on its own, so a crashed holder delays the others
 * by at most `ttlMs`. Release deletes the key without checking the owner: a holder whose loader ran past
 * `ttlMs` may free a successor's lock, which costs one extra load, never a wrong value.
 */
export class StoreLock {
  readonly #store: KeyValueStore;
  readonly #guard: StoreGuard;
  readonly #ttlMs: number;

  constructor(store: KeyValueStore, guard: StoreGuard, ttlMs: number) {
    this.#store = store;
    this.#guard = guard;
    this.#ttlMs = ttlMs;
  }

  async acquire(address: CacheAddress): Promise<LockResult> {
    const result = await this.#guard.run('lock', address.kind, () =>
      this.#store.set(address.scope, address.lockKey, '1', { onlyIfAbsent: true, ttlMs: this.#ttlMs }),
    );
    if (!result.ok) return 'unavailable';
    return result.value ? 'acquired' : 'busy';
  }

  /** Frees the lock without making the request wait for it. */
  release(address: CacheAddress): void {
    void this.#guard.run('unlock', address.kind, () => this.#store.delete(address.scope, address.lockKey));
  }
}
