import { type Scope, SerializationError, sleep, ValidationError } from '@neptune/core';
import type { z } from 'zod';
import { BackgroundRefresh } from './background-refresh';
import { type CacheEntry, createEntry, type ParsedEntry } from './cache-entry';
import type { CacheAddress } from './cache-key';
import type { CacheReporter } from './cache-reporter';
import type { EntryDecoder } from './entry-decoder';
import type { MemoryTier } from './memory-tier';
import type { StampedStore } from './stamped-store';
import type { LockResult, StoreLock } from './store-lock';
import type { EncodedValue, ValueCodec } from './value-codec';

/** Handed to the loader, so one loader can serve several kinds or ids. */
export interface LoaderContext {
  readonly scope: Scope;
  readonly kind: string;
  readonly id: string | undefined;
}

/** Loads a value on a miss; the context names the scope, kind and id it is loaded for. */
export type CacheLoader<T> = (context: LoaderContext) => T | Promise<T>;

/** The TTL, grace, tags and schema one call runs with, after kind defaults and call options are merged. */
export interface ResolvedPolicy {
  readonly ttlMs: number;
  readonly graceMs: number;
  readonly tags: readonly string[];
  readonly schema: z.ZodType | undefined;
}

export interface ReadThroughOptions {
  readonly stamped: StampedStore;
  /** Undefined when the store is not shared (memory) or locking is off: in-process coalescing is enough. */
  readonly lock: StoreLock | undefined;
  readonly lockWaitMs: number;
  readonly tier: MemoryTier | undefined;
  readonly codec: ValueCodec;
  readonly decoder: EntryDecoder;
  readonly reporter: CacheReporter;
  readonly storeName: string;
  readonly refreshBackoffMs: number;
  readonly now: () => number;
}

type Usable = { readonly ok: true; readonly value: unknown } | { readonly ok: false };
const UNUSABLE: Usable = Object.freeze({ ok: false as const });
const FIRST_POLL_MS = 5;
const LONGEST_POLL_MS = 100;

/**
 * The read path of the cache: memory tier, then one coalesced store read per key and process, then (on a
 * miss) the cross-process lock and the loader. Stale values inside their grace period are served at once
 * while one background refresh runs; a refresh that fails keeps the stale value and backs off.
 */
export class ReadThrough {
  readonly #options: ReadThroughOptions;
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #refresh: BackgroundRefresh;
  /**
   * Counts invalidations seen by this process. A read that started before one must not put what it
   * read into the memory tier (where stamps are not checked) after the invalidation has cleared it.
   */
  #generation = 0;

  constructor(options: ReadThroughOptions) {
    this.#options = options;
    this.#refresh = new BackgroundRefresh(options);
  }

  get generation(): number {
    return this.#generation;
  }

  /** Called on every local or bus invalidation, before the memory tier is cleared. */
  invalidated(): void {
    this.#generation++;
  }

  /** A parsed value, checked against the schema if there is one; a value that fails counts as absent. */
  #usable(address: CacheAddress, parsed: ParsedEntry | undefined, schema: z.ZodType | undefined): Usable {
    if (parsed === undefined) return UNUSABLE;
    if (schema === undefined) return { ok: true, value: parsed.value };
    const checked = schema.safeParse(parsed.value);
    if (checked.success) return { ok: true, value: checked.data };
    const error = new ValidationError({
      message: `A cached ${address.kind} value no longer matches its schema.`,
      cause: checked.error,
    });
    this.#options.reporter.storeError(address.kind, 'validate', error, performance.now(), 'schema');
    return UNUSABLE;
  }

  /** The memory tier's entry parsed afresh (each caller gets its own copy), if fresh enough. */
  #fromMemory(address: CacheAddress, policy: ResolvedPolicy, until: 'fresh' | 'stale'): Usable {
    const local = this.#options.tier?.get(address.localKey);
    if (local === undefined) return UNUSABLE;
    const limit = until === 'fresh' ? local.entry.freshUntil : local.entry.staleUntil;
    if (limit <= this.#options.now()) return UNUSABLE;
    return this.#usable(
      address,
      this.#options.decoder.decode(address.localKey, local.entry.text),
      policy.schema,
    );
  }

  /** A fresh value from the memory tier or the store, or undefined. Never runs a loader. */
  async get(address: CacheAddress, policy: ResolvedPolicy, startedAt: number): Promise<unknown> {
    const { reporter, storeName } = this.#options;
    const memory = this.#fromMemory(address, policy, 'fresh');
    if (memory.ok) {
      reporter.hit(address, 'memory', startedAt);
      return memory.value;
    }
    const generation = this.#generation;
    const read = await this.#options.stamped.read(address, policy.tags);
    const stored = this.#usable(address, read.found, policy.schema);
    if (stored.ok && read.found!.entry.freshUntil > this.#options.now()) {
      this.#remember(address, read.found!.entry, generation);
      reporter.hit(address, storeName, startedAt);
      return stored.value;
    }
    reporter.miss(address, startedAt);
    return undefined;
  }

  /** Not `async`, and hands out the load's own promise: a hit should cost as few promises as possible. */
  getOrSet<T>(
    address: CacheAddress,
    policy: ResolvedPolicy,
    loader: CacheLoader<T>,
    startedAt: number,
  ): Promise<T> {
    const memory = this.#fromMemory(address, policy, 'fresh');
    if (memory.ok) {
      this.#options.reporter.hit(address, 'memory', startedAt);
      return Promise.resolve(memory.value as T);
    }
    const key = address.localKey;
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) {
      return pending.then((value) => {
        this.#options.reporter.coalesced(address, startedAt);
        return value as T;
      });
    }
    const run = this.#resolve(address, policy, loader, startedAt);
    this.#inFlight.set(key, run);
    run.then(
      () => this.#settled(key, run),
      () => this.#settled(key, run),
    );
    return run;
  }

  #settled(key: string, run: Promise<unknown>): void {
    if (this.#inFlight.get(key) === run) this.#inFlight.delete(key);
  }

  async #resolve<T>(
    address: CacheAddress,
    policy: ResolvedPolicy,
    loader: CacheLoader<T>,
    startedAt: number,
  ) {
    const { now, reporter, storeName, lock } = this.#options;
    const generation = this.#generation;
    const read = await this.#options.stamped.read(address, policy.tags);
    const stored = this.#usable(address, read.found, policy.schema);
    if (stored.ok && read.found!.entry.freshUntil > now()) {
      this.#remember(address, read.found!.entry, generation);
      reporter.hit(address, storeName, startedAt);
      return stored.value as T;
    }
    // Stale from the store, or else from the memory tier (the store is down, or evicted its copy).
    let staleTier = storeName;
    let stale = stored.ok && read.found!.entry.staleUntil > now() ? stored : UNUSABLE;
    if (!stale.ok) {
      stale = this.#fromMemory(address, policy, 'stale');
      staleTier = 'memory';
    }
    if (stale.ok) {
      const failing = this.#refresh.failing(address);
      reporter.stale(
        address,
        failing ? 'loader-failed' : read.ok ? 'grace' : 'store-down',
        staleTier,
        startedAt,
      );
      const stamp = read.ok ? read.stamp : undefined;
      this.#refresh.start(address, read.ok, async () => {
        const value = await this.#load(address, loader);
        const encoded = this.#encodeLoaded(address, value);
        if (encoded !== undefined) await this.store(address, policy, encoded, stamp, generation);
      });
      return stale.value as T;
    }
    let held: LockResult = 'unavailable';
    if (read.ok && lock !== undefined) {
      held = await lock.acquire(address);
      if (held === 'busy') {
        const waited = await this.#waitForHolder(address, policy, startedAt, generation);
        if (waited.ok) return waited.value as T;
        held = waited.held;
      }
    }
    reporter.miss(address, startedAt);
    try {
      const value = await this.#load(address, loader);
      const encoded = this.#encodeLoaded(address, value);
      if (encoded !== undefined) {
        await this.store(address, policy, encoded, read.ok ? read.stamp : undefined, generation);
      }
      return value;
    } finally {
      if (held === 'acquired') lock?.release(address);
    }
  }

  /** Polls the store for the value another process is loading; takes over if its lock goes away. */
  async #waitForHolder(address: CacheAddress, policy: ResolvedPolicy, startedAt: number, generation: number) {
    const deadline = performance.now() + this.#options.lockWaitMs;
    let delayMs = FIRST_POLL_MS;
    while (performance.now() < deadline) {
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, LONGEST_POLL_MS);
      const read = await this.#options.stamped.read(address, policy.tags, true);
      if (!read.ok) break;
      const stored = this.#usable(address, read.found, policy.schema);
      if (stored.ok && read.found!.entry.freshUntil > this.#options.now()) {
        this.#remember(address, read.found!.entry, generation);
        this.#options.reporter.hit(address, this.#options.storeName, startedAt);
        return stored;
      }
      if (!read.locked) {
        const held = await this.#options.lock!.acquire(address);
        if (held !== 'busy') return { ok: false as const, held };
      }
    }
    return { ok: false as const, held: 'unavailable' as LockResult };
  }

  async #load<T>(address: CacheAddress, loader: CacheLoader<T>): Promise<T> {
    try {
      return await loader({ scope: address.scope, kind: address.kind, id: address.id });
    } catch (error) {
      this.#options.reporter.loaderError(address);
      throw error;
    }
  }

  /**
   * A loaded value, encoded for storing; undefined when it is over `maxValueBytes`. Too large to cache
   * must never cost the answer: the caller still gets the value, and a `cache-error` event (operation
   * `encode`, tier `codec`) says it was not cached. A value JSON cannot hold (a function, a cycle) is a
   * programming error and still throws.
   */
  #encodeLoaded(address: CacheAddress, value: unknown): EncodedValue | undefined {
    try {
      return this.#options.codec.encode(value);
    } catch (error) {
      if (!SerializationError.isInstance(error) || error.details?.maxBytes === undefined) throw error;
      this.#options.reporter.storeError(address.kind, 'encode', error, performance.now(), 'codec');
      return undefined;
    }
  }

  #remember(address: CacheAddress, entry: CacheEntry, generation: number): void {
    if (generation !== this.#generation) return;
    const { workspaceId, userId } = address.scope;
    this.#options.tier?.set(address.localKey, { entry, kind: address.kind, workspaceId, userId });
  }

  /**
   * Stores an encoded value: in the memory tier (unless an invalidation came in since `generation`), and
   * in the store when `stamp` is known, that is when the store was readable.
   */
  async store(
    address: CacheAddress,
    policy: ResolvedPolicy,
    encoded: EncodedValue,
    stamp: string | undefined,
    generation: number,
  ): Promise<void> {
    const now = this.#options.now();
    const entry = createEntry(encoded, {
      freshUntil: now + policy.ttlMs,
      staleUntil: now + policy.ttlMs + policy.graceMs,
      stamp: stamp ?? '',
      tags: policy.tags,
    });
    this.#remember(address, entry, generation);
    if (stamp !== undefined) await this.#options.stamped.write(address, entry, policy.ttlMs + policy.graceMs);
  }
}
