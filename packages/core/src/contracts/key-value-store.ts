import type { Scope } from '../scope';

/** What a key-value backend can do natively; the scoped store fills the gaps and tests read these. */
export interface KeyValueCapabilities {
  /** Entries expire on their own (Redis `PX`). Without it the driver checks expiry on read. */
  readonly nativeTtl: boolean;
  /** `increment` and `set(..., { onlyIfAbsent })` are atomic across processes (Redis `INCRBY`, `SET NX`). */
  readonly atomic: boolean;
  /** Several processes see the same data (Redis, Upstash), as opposed to one process's memory. */
  readonly shared: boolean;
}

/** Options of `KeyValueDriver.set`. */
export interface KeyValueSetOptions {
  /** Time to live in milliseconds. Omitted: the entry never expires. */
  readonly ttlMs?: number | undefined;
  /** Write only if the key does not exist (a lock). The result says whether it was written. */
  readonly onlyIfAbsent?: boolean | undefined;
}

/** One counter of an `incrementWithinLimits` call. */
export interface LimitedIncrement {
  readonly key: string;
  /** An integer, added when every counter of the call stays within its limit. */
  readonly by: number;
  /** The most the counter may hold after the increment (inclusive). */
  readonly limit: number;
  /** Set when the increment creates the key (a counter per window expires with its window). */
  readonly ttlMs?: number | undefined;
}

/** What `incrementWithinLimits` did. */
export interface LimitedIncrementResult {
  /** True when every counter was incremented; false when one would have passed its limit and none was. */
  readonly applied: boolean;
  /** Each counter's value, in the order given: after the increment when applied, as found when not (0 for a missing key). */
  readonly values: number[];
}

/** One page of a driver's key scan. */
export interface KeyValueScanPage {
  readonly keys: string[];
  /** Pass back to continue; `undefined` when the scan is complete. */
  readonly cursor: string | undefined;
}

/**
 * The few methods only a backend can implement, on raw (already prefixed) keys. Adapters implement this;
 * `defineKeyValueStore()` in `@neptune/core` turns it into a scoped, validated `KeyValueStore`.
 * Values are strings: encoding richer values is the cache's job.
 */
export interface KeyValueDriver {
  readonly name: string;
  readonly capabilities: KeyValueCapabilities;
  get(key: string): Promise<string | undefined>;
  /** Optional batch read; the store falls back to parallel `get`s. Results keep the order of `keys`. */
  getMany?(keys: readonly string[]): Promise<Array<string | undefined>>;
  /** Returns false only when `onlyIfAbsent` was set and the key existed. */
  set(key: string, value: string, options: KeyValueSetOptions): Promise<boolean>;
  /** Deletes the keys that exist; returns how many did. */
  delete(keys: readonly string[]): Promise<number>;
  /**
   * One page of the keys that start with `prefix` (literally: the driver escapes any pattern syntax).
   * Must be incremental (Redis `SCAN`, never `KEYS`); a page may be empty while the cursor is not done.
   */
  scan(prefix: string, cursor: string | undefined, count: number): Promise<KeyValueScanPage>;
  /**
   * Atomically adds `by` (an integer) and returns the new value; sets `ttlMs` when the key is created.
   * When the key holds something that is not an integer, throws a `ValidationError` and leaves it as it
   * is (the conformance suite checks this).
   */
  increment(key: string, by: number, ttlMs: number | undefined): Promise<number>;
  /**
   * Optional, and what quotas need: adds each `by` only if every counter's new value stays at or under
   * its `limit`, as one atomic step (a Lua script on Redis, one synchronous step in memory); otherwise
   * changes nothing (and creates no key). Keys are raw. Without it the store falls back to `increment` and rolls back, which
   * never admits past a limit but may refuse a few calls that would have fitted while others roll back.
   */
  incrementWithinLimits?(
    counters: readonly (LimitedIncrement & { readonly ttlMs: number | undefined })[],
  ): Promise<LimitedIncrementResult>;
  /** Round trip to the backend, for health checks. Throws when unreachable. */
  ping?(): Promise<void>;
  close?(): Promise<void>;
}

/** Options of `KeyValueStore.set`. */
export interface KeyValueStoreSetOptions {
  /** Time to live in milliseconds (a positive integer). Omitted: no expiry. */
  readonly ttlMs?: number | undefined;
  /** Tags to invalidate the entry by later with `deleteByTag`. */
  readonly tags?: readonly string[] | undefined;
  /** Write only if absent; the result says whether it was written. */
  readonly onlyIfAbsent?: boolean | undefined;
}

/** Options of `KeyValueStore.list`. */
export interface KeyValueListOptions {
  /** Only keys that start with this (relative to the scope). */
  readonly prefix?: string | undefined;
  /** Page size hint passed to the backend's scan. Default 250. */
  readonly pageSize?: number | undefined;
}

/**
 * A key-value store in which every call is scoped: keys are relative to the scope, and nothing written
 * under one workspace is read, listed or deleted under another. Build one from a driver with
 * `defineKeyValueStore(driver)`.
 */
export interface KeyValueStore {
  readonly name: string;
  readonly capabilities: KeyValueCapabilities;
  get(scope: Scope, key: string): Promise<string | undefined>;
  /** Batch read in one round trip where the backend allows; results keep the order of `keys`. */
  getMany(scope: Scope, keys: readonly string[]): Promise<Array<string | undefined>>;
  /** Returns false only when `onlyIfAbsent` was set and the key existed. */
  set(scope: Scope, key: string, value: string, options?: KeyValueStoreSetOptions): Promise<boolean>;
  /** True when the key existed. */
  delete(scope: Scope, key: string): Promise<boolean>;
  /** Deletes every key of the scope starting with `prefix`; returns how many. */
  deleteByPrefix(scope: Scope, prefix: string): Promise<number>;
  /** Deletes every key of the scope set with this tag; returns how many. */
  deleteByTag(scope: Scope, tag: string): Promise<number>;
  /** Atomically adds `by` (default 1, an integer); `ttlMs` applies when the key is created. */
  increment(scope: Scope, key: string, options?: { by?: number; ttlMs?: number }): Promise<number>;
  /**
   * Adds each counter's `by` only if every counter stays at or under its `limit` afterwards, all at once
   * or not at all, atomically across processes on a shared store: the primitive behind quotas (a burst
   * of 1,000 calls against a limit of 100 admits exactly 100). `ttlMs` applies when a key is created.
   * A refused call leaves every value as it was (a driver without the native method may leave a counter
   * it created at 0).
   */
  incrementWithinLimits(scope: Scope, counters: readonly LimitedIncrement[]): Promise<LimitedIncrementResult>;
  /** The scope's keys (relative), page by page through the backend's incremental scan. */
  list(scope: Scope, options?: KeyValueListOptions): AsyncIterable<string>;
  /**
   * Deletes everything under the scope. For a workspace scope this includes its users' data: it is the
   * erasure primitive. Returns how many keys were removed.
   */
  clear(scope: Scope): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
