import {
  checkArgument,
  defaultTelemetry,
  type KeyValueStore,
  memoryKeyValueStore,
  parseInput,
  parseOptions,
  type Scope,
  validateScope,
} from '@neptune/core';
import type { CacheBusMessage } from './cache-bus';
import { type CacheKey, checkKind, checkTags, createCacheKeyspace } from './cache-key';
import { type CacheCallOptions, type CreateCacheOptions, fn, optionsSchema } from './cache-options';
import { CacheReporter, type CacheStats } from './cache-reporter';
import { CircuitBreaker } from './circuit-breaker';
import { EntryDecoder } from './entry-decoder';
import { createKindPolicies } from './kind-policies';
import { type InvalidationTarget, MemoryTier } from './memory-tier';
import { PendingInvalidations } from './pending-invalidations';
import { type CacheLoader, ReadThrough } from './read-through';
import { StampedStore } from './stamped-store';
import { StoreGuard } from './store-guard';
import { StoreLock } from './store-lock';
import { UndeliveredMessages } from './undelivered-messages';
import { createValueCodec } from './value-codec';

export type { CacheCallOptions, CreateCacheOptions } from './cache-options';

/** A cache made by `createCache`: read-through `getOrSet`, tags, invalidation and stats over one store. */
export interface Cache {
  readonly store: KeyValueStore;
  /** Resolves once the bus subscription is in place (at once without a bus). */
  readonly ready: Promise<void>;
  /** The cached value, or the loader's (run once per key across processes, and stored). */
  getOrSet<T>(scope: Scope, key: CacheKey, loader: CacheLoader<T>, options?: CacheCallOptions<T>): Promise<T>;
  /** The fresh cached value, or undefined. */
  get<T = unknown>(scope: Scope, key: CacheKey, options?: CacheCallOptions<T>): Promise<T | undefined>;
  set<T>(scope: Scope, key: CacheKey, value: T, options?: CacheCallOptions<T>): Promise<void>;
  delete(scope: Scope, key: CacheKey): Promise<void>;
  /**
   * Invalidates every entry of these kinds in the scope; a workspace scope covers its users' entries too.
   * Call it after a write. Never throws for a store outage: it is retried once the store answers.
   */
  invalidate(scope: Scope, kinds: string | readonly string[]): Promise<void>;
  /** Invalidates every entry of the scope (and, for a workspace, its users) carrying any of these tags. */
  invalidateTags(scope: Scope, tags: readonly string[]): Promise<void>;
  stats(): CacheStats;
  /** Stops the bus subscription. The store is yours to close. */
  close(): Promise<void>;
}

/**
 * A cache for assistant context: read-through with per-kind TTLs, stampede protection in and across
 * processes, stale-while-revalidate, invalidation by kind or tag that works on every store, an optional
 * memory tier kept coherent over a bus, and a circuit breaker so that no request fails because the
 * cache did.
 */
export function createCache(options: CreateCacheOptions = {}): Cache {
  const checked = parseOptions(optionsSchema, options, 'createCache options');
  const store = checked.store ?? memoryKeyValueStore();
  const now = checked.now ?? Date.now;
  const keyspace = createCacheKeyspace(checked.namespace);
  const reporter = new CacheReporter(checked.telemetry ?? defaultTelemetry());
  const origin = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  const pending = new PendingInvalidations();
  const undelivered = new UndeliveredMessages();
  // Stamps first, then the bus: another instance told first would reload the old value from the store.
  const deliverQueued = async () => {
    await pending.flush(stamped);
    if (pending.size === 0) undelivered.flush(publish);
  };
  const breaker = new CircuitBreaker({
    ...checked.breaker,
    now,
    onStateChange: (state) => reporter.breaker(store.name, state),
    onRecover: () => void deliverQueued(),
  });
  const guard = new StoreGuard({
    breaker,
    timeoutMs: checked.storeTimeoutMs,
    onError: (operation, kind, error, startedAt) =>
      reporter.storeError(kind, operation, error, startedAt, store.name),
  });
  const tierOptions =
    checked.memoryTier === true ? { maxEntries: 1_000, maxBytes: 16 * 1024 * 1024 } : checked.memoryTier;
  const decoder = new EntryDecoder({
    maxEntries: Math.max(1_000, tierOptions === false ? 0 : tierOptions.maxEntries),
    maxBytes: Math.max(8 * 1024 * 1024, tierOptions === false ? 0 : tierOptions.maxBytes),
  });
  const stamped = new StampedStore({ store, guard, keyspace, pending, decoder });
  const tier =
    tierOptions === false ? undefined : new MemoryTier({ maxTtlMs: undefined, ...tierOptions, now });
  const lock = checked.lock !== false && store.capabilities.shared ? checked.lock : undefined;
  const codec = createValueCodec({ maxBytes: checked.maxValueBytes });
  const readThrough = new ReadThrough({
    stamped,
    lock: lock && new StoreLock(store, guard, lock.ttlMs),
    lockWaitMs: lock?.waitMs ?? 0,
    tier,
    codec,
    decoder,
    reporter,
    storeName: store.name,
    refreshBackoffMs: checked.refreshBackoffMs,
    now,
  });

  const policyFor = createKindPolicies(checked.kinds);

  const bus = checked.bus;
  /** Publishes; a message the bus could not take is kept and published again once the bus answers. */
  function publish(message: CacheBusMessage): void {
    bus?.publish(message).then(
      () => {
        if (undelivered.size > 0 && pending.size === 0) undelivered.flush(publish);
      },
      (error: unknown) => {
        undelivered.add(message);
        reporter.storeError('bus', 'publish', error, performance.now(), 'bus');
      },
    );
  }
  const forget = (target: InvalidationTarget) => {
    readThrough.invalidated();
    tier?.invalidate(target);
  };
  let unsubscribe: (() => Promise<void>) | undefined;
  const ready = (async () => {
    if (bus === undefined || tier === undefined) return;
    try {
      unsubscribe = await bus.subscribe(
        (message) => {
          if (message.origin === origin) return;
          if (message.type === 'delete') {
            readThrough.invalidated();
            for (const key of message.keys) tier.delete(key);
          } else forget(message);
        },
        {
          // Invalidations may have been missed while the subscription was down: hold nothing from before.
          onGap: () => {
            readThrough.invalidated();
            tier.clear();
          },
        },
      );
    } catch (error) {
      reporter.storeError('bus', 'subscribe', error, performance.now(), 'bus');
    }
  })();

  async function invalidateBy(
    scope: Scope,
    target: Omit<InvalidationTarget, 'workspaceId' | 'userId'>,
    stampKeys: string[],
  ) {
    const valid = validateScope(scope);
    const full: InvalidationTarget = { workspaceId: valid.workspaceId, userId: valid.userId, ...target };
    const label = [...(target.kinds ?? []), ...(target.tags ?? [])].join(',');
    // Stamps first, memory tier second: a read between the two cannot refill the tier with the old value.
    const bumped = await stamped.bump(valid, label, stampKeys);
    forget(full);
    const message: CacheBusMessage = { type: 'invalidate', origin, ...full };
    if (bumped) {
      publish(message);
      return;
    }
    // The store did not take it: other instances are told only once it does (after recovery), since
    // told now they would reload the value the store still holds as valid.
    pending.add(valid, label, stampKeys);
    if (bus !== undefined) undelivered.add(message);
  }

  return {
    store,
    ready,
    // Not `async`: on a hit the extra promise would be a measurable share of the work.
    getOrSet(scope, key, loader, call) {
      const startedAt = performance.now();
      try {
        const address = keyspace.address(scope, key);
        if (typeof loader !== 'function') parseInput(fn('a function that loads the value'), loader, 'loader');
        return readThrough.getOrSet(address, policyFor(address.kind, call), loader, startedAt);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async get(scope, key, call) {
      const startedAt = performance.now();
      const address = keyspace.address(scope, key);
      return (await readThrough.get(address, policyFor(address.kind, call), startedAt)) as never;
    },
    async set(scope, key, value, call) {
      const address = keyspace.address(scope, key);
      const policy = policyFor(address.kind, call);
      const payload = codec.encode(value);
      readThrough.invalidated();
      const generation = readThrough.generation;
      await readThrough.store(
        address,
        policy,
        payload,
        await stamped.stamp(address, policy.tags),
        generation,
      );
      publish({ type: 'delete', origin, keys: [address.localKey] });
    },
    async delete(scope, key) {
      const address = keyspace.address(scope, key);
      readThrough.invalidated();
      tier?.delete(address.localKey);
      await stamped.delete(address);
      publish({ type: 'delete', origin, keys: [address.localKey] });
    },
    async invalidate(scope, kindOrKinds) {
      validateScope(scope);
      checkArgument(
        typeof kindOrKinds === 'string' || Array.isArray(kindOrKinds),
        'cache.invalidate(scope, kinds): kinds',
        'a kind or an array of kinds, like "crm" or ["crm", "calendar"]',
        kindOrKinds,
      );
      const list = (typeof kindOrKinds === 'string' ? [kindOrKinds] : [...kindOrKinds]).map(checkKind);
      if (list.length === 0) return;
      await invalidateBy(scope, { kinds: list }, list.map(keyspace.kindStamp));
    },
    async invalidateTags(scope, tags) {
      validateScope(scope);
      checkArgument(Array.isArray(tags), 'cache.invalidateTags(scope, tags): tags', 'an array of tags', tags);
      const list = checkTags(tags);
      if (list.length === 0) return;
      await invalidateBy(scope, { tags: list }, list.map(keyspace.tagStamp));
    },
    stats: () => reporter.snapshot(),
    async close() {
      await ready;
      await unsubscribe?.();
    },
  };
}
