import {
  ConfigurationError,
  createTelemetryChannel,
  memoryKeyValueStore,
  type NeptuneEvent,
  ScopeError,
  SerializationError,
  ValidationError,
} from '@neptune/core';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createCache } from './create-cache';

const acme = { workspaceId: 'acme' };
const acmeAna = { workspaceId: 'acme', userId: 'ana' };
const acmeBob = { workspaceId: 'acme', userId: 'bob' };
const globex = { workspaceId: 'globex' };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

function setup(options: Parameters<typeof createCache>[0] = {}) {
  let now = 1_700_000_000_000;
  const store = memoryKeyValueStore({ now: () => now });
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  const cache = createCache({ store, telemetry, now: () => now, ...options });
  return {
    cache,
    store,
    events,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('createCache on the memory store', () => {
  it('loads once, then serves hits; Dates come back as Dates', async () => {
    const { cache } = setup();
    const loader = vi.fn(async () => ({ leads: 3, at: new Date('2025-05-01T00:00:00Z') }));
    const first = await cache.getOrSet(acme, 'crm', loader);
    const second = await cache.getOrSet(acme, 'crm', loader);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(second.at).toBeInstanceOf(Date);
    expect(second).not.toBe(first);
    expect(cache.stats().kinds.crm).toMatchObject({ requests: 2, hits: 1, misses: 1, hitRate: 0.5 });
  });

  it.each([
    ['the store', {}],
    ['the memory tier', { memoryTier: true }],
  ])(
    'hands every hit from %s a private copy: mutating it changes nothing cached',
    async (_label, options) => {
      const { cache } = setup(options);
      await cache.getOrSet(acme, 'crm', async () => ({ leads: [{ name: 'Ada', at: new Date(0) }] }));
      type Crm = { leads: Array<{ name: string; at: Date }> };
      const first = await cache.getOrSet<Crm>(acme, 'crm', async () => ({ leads: [] }));
      first.leads[0]!.name = 'changed';
      first.leads[0]!.at.setFullYear(1999);
      first.leads.push({ name: 'extra', at: new Date(1) });
      const second = await cache.getOrSet<Crm>(acme, 'crm', async () => ({ leads: [] }));
      expect(second).toEqual({ leads: [{ name: 'Ada', at: new Date(0) }] });
    },
  );

  it('runs the loader once for 10,000 concurrent misses of one key', async () => {
    const { cache } = setup();
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    const calls = Array.from({ length: 10_000 }, () => cache.getOrSet(acme, 'crm', loader));
    gate.resolve('summary');
    const values = await Promise.all(calls);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(new Set(values)).toEqual(new Set(['summary']));
    expect(cache.stats().kinds.crm).toMatchObject({ misses: 1, coalesced: 9_999 });
  });

  it('keeps tenants and users apart, and lays keys out from the scope', async () => {
    const { cache, store } = setup();
    const load = (label: string) => async () => label;
    expect(await cache.getOrSet(acme, 'crm', load('acme'))).toBe('acme');
    expect(await cache.getOrSet(globex, 'crm', load('globex'))).toBe('globex');
    expect(await cache.getOrSet(acmeAna, 'prefs', load('ana'))).toBe('ana');
    expect(await cache.getOrSet(acmeBob, 'prefs', load('bob'))).toBe('bob');
    expect(await cache.getOrSet(acme, 'crm', load('wrong'))).toBe('acme');
    expect(await cache.getOrSet(acmeAna, 'prefs', load('wrong'))).toBe('ana');
    expect(await cache.get(acme, 'prefs')).toBeUndefined();
    const listed: string[] = [];
    for await (const key of store.list(acmeAna)) listed.push(key);
    expect(listed).toEqual(['context:prefs']);
  });

  it('expires values after the kind TTL', async () => {
    const { cache, advance } = setup({ kinds: { quick: { ttlMs: 1_000 } } });
    const loader = vi.fn(async () => 'v');
    await cache.getOrSet(acme, 'quick', loader);
    advance(999);
    await cache.getOrSet(acme, 'quick', loader);
    expect(loader).toHaveBeenCalledTimes(1);
    advance(1);
    await cache.getOrSet(acme, 'quick', loader);
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('serves a stale value inside the grace period while exactly one refresh runs', async () => {
    const { cache, advance, events } = setup({ kinds: { feed: { ttlMs: 5_000, graceMs: 5_000 } } });
    await cache.getOrSet(acme, 'feed', async () => 'old');
    advance(6_000);
    const refresh = deferred<string>();
    const loader = vi.fn(() => refresh.promise);
    const served = await Promise.all(Array.from({ length: 20 }, () => cache.getOrSet(acme, 'feed', loader)));
    expect(served).toEqual(Array(20).fill('old'));
    refresh.resolve('new');
    await vi.waitFor(async () => expect(await cache.get(acme, 'feed')).toBe('new'));
    expect(loader).toHaveBeenCalledTimes(1);
    // One stale read of the store served all twenty: nineteen were coalesced onto it.
    expect(events.filter((event) => event.type === 'cache-stale')).toHaveLength(1);
    expect(cache.stats().kinds.feed).toMatchObject({ staleHits: 1, coalesced: 19 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'cache-refresh', kind: 'feed', ok: true }));
    advance(10_000);
    expect(await cache.getOrSet(acme, 'feed', async () => 'reloaded')).toBe('reloaded');
  });

  it('keeps serving the stale value when the refresh fails, and backs off before retrying', async () => {
    const { cache, advance, events } = setup({
      kinds: { feed: { ttlMs: 60_000, graceMs: 60_000 } },
      refreshBackoffMs: 10_000,
    });
    await cache.getOrSet(acme, 'feed', async () => 'old');
    advance(61_000);
    const failing = vi.fn(async () => {
      throw new Error('database down');
    });
    expect(await cache.getOrSet(acme, 'feed', failing)).toBe('old');
    await vi.waitFor(() =>
      expect(events).toContainEqual(expect.objectContaining({ type: 'cache-refresh', ok: false })),
    );
    expect(await cache.getOrSet(acme, 'feed', failing)).toBe('old');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(events.at(-1)).toMatchObject({ type: 'cache-stale', reason: 'loader-failed' });
    advance(10_000);
    expect(await cache.getOrSet(acme, 'feed', failing)).toBe('old');
    await vi.waitFor(() => expect(failing).toHaveBeenCalledTimes(2));
  });

  it('serves a built-in kind no older than its TTL plus its short, explicit grace', async () => {
    // calendar: 2 min TTL, 15 s grace. Grace used to equal the TTL, so a failing loader got a 3m59s old value.
    const { cache, advance } = setup();
    await cache.getOrSet(acme, 'calendar', async () => 'old');
    const failing = async (): Promise<string> => {
      throw new Error('calendar API down');
    };
    advance(2 * 60_000 + 10_000);
    expect(await cache.getOrSet(acme, 'calendar', failing)).toBe('old');
    advance(6_000);
    await expect(cache.getOrSet(acme, 'calendar', failing)).rejects.toThrow('calendar API down');
  });

  it('refuses a grace longer than the TTL, in a kind and in a call', async () => {
    expect(() => createCache({ kinds: { feed: { ttlMs: 1_000, graceMs: 5_000 } } })).toThrow(
      /kinds\.feed\.graceMs: graceMs must be at most ttlMs/,
    );
    const { cache } = setup({ kinds: { feed: { ttlMs: 1_000 } } });
    await expect(cache.getOrSet(acme, 'feed', async () => 'v', { graceMs: 2_000 })).rejects.toThrow(
      /graceMs \(2000 ms\) is longer than ttlMs \(1000 ms\)/,
    );
    // A shorter TTL in the call shrinks the kind's grace with it rather than failing.
    expect(await cache.getOrSet(acme, 'crm', async () => 'v', { ttlMs: 1_000 })).toBe('v');
  });

  it('passes a loader error to the caller when there is nothing stale, and caches nothing', async () => {
    const { cache } = setup();
    await expect(
      cache.getOrSet(acme, 'crm', async () => {
        throw new Error('no CRM');
      }),
    ).rejects.toThrow('no CRM');
    expect(await cache.getOrSet(acme, 'crm', async () => 'second try')).toBe('second try');
    expect(cache.stats().kinds.crm?.loaderErrors).toBe(1);
  });

  it('invalidates a kind; a workspace invalidation covers its users, a user one only that user', async () => {
    const { cache } = setup();
    let version = 0;
    const load = async () => ++version;
    const crm = await cache.getOrSet(acme, 'crm', load);
    const ana = await cache.getOrSet(acmeAna, 'crm', load);
    const bob = await cache.getOrSet(acmeBob, 'crm', load);
    const other = await cache.getOrSet(globex, 'crm', load);
    await cache.invalidate(acmeAna, 'crm');
    expect(await cache.getOrSet(acmeAna, 'crm', load)).toBe(5);
    expect(await cache.getOrSet(acme, 'crm', load)).toBe(crm);
    expect(await cache.getOrSet(acmeBob, 'crm', load)).toBe(bob);
    await cache.invalidate(acme, ['crm', 'calendar']);
    expect(await cache.getOrSet(acme, 'crm', load)).toBe(6);
    expect(await cache.getOrSet(acmeBob, 'crm', load)).toBe(7);
    expect(await cache.getOrSet(globex, 'crm', load)).toBe(other);
    expect(ana).toBe(2);
  });

  it('invalidates by tag, in the scope and its users only', async () => {
    const { cache } = setup({ kinds: { lead: { ttlMs: 60_000 } } });
    let version = 0;
    const load = async () => ++version;
    await cache.getOrSet(acme, { kind: 'lead', id: '1' }, load, { tags: ['lead:1', 'crm'] });
    await cache.getOrSet(acme, { kind: 'lead', id: '2' }, load, { tags: ['crm'] });
    await cache.getOrSet(acmeAna, { kind: 'lead', id: '1' }, load, { tags: ['lead:1'] });
    await cache.getOrSet(globex, { kind: 'lead', id: '1' }, load, { tags: ['lead:1'] });
    await cache.invalidateTags(acme, ['lead:1']);
    expect(await cache.get(acme, { kind: 'lead', id: '1' }, { tags: ['crm', 'lead:1'] })).toBeUndefined();
    expect(await cache.get(acmeAna, { kind: 'lead', id: '1' }, { tags: ['lead:1'] })).toBeUndefined();
    expect(await cache.get(acme, { kind: 'lead', id: '2' }, { tags: ['crm'] })).toBe(2);
    expect(await cache.get(globex, { kind: 'lead', id: '1' }, { tags: ['lead:1'] })).toBe(4);
    // Read without naming the tags: the entry's own tags are checked.
    expect(await cache.get(acme, { kind: 'lead', id: '1' })).toBeUndefined();
    expect(await cache.get(acme, { kind: 'lead', id: '2' })).toBe(2);
  });

  it('does not keep a value loaded before an invalidation that landed during the load', async () => {
    const { cache } = setup();
    const slow = deferred<string>();
    const pending = cache.getOrSet(acme, 'crm', () => slow.promise);
    await vi.waitFor(() => expect(cache.stats().kinds.crm?.misses).toBe(1));
    await cache.invalidate(acme, 'crm');
    slow.resolve('read before the write');
    expect(await pending).toBe('read before the write');
    expect(await cache.getOrSet(acme, 'crm', async () => 'read after the write')).toBe(
      'read after the write',
    );
  });

  it('set, get and delete', async () => {
    const { cache } = setup();
    await cache.set(acme, 'calendar', [{ title: 'Standup', at: new Date(0) }]);
    expect(await cache.get(acme, 'calendar')).toEqual([{ title: 'Standup', at: new Date(0) }]);
    await cache.delete(acme, 'calendar');
    expect(await cache.get(acme, 'calendar')).toBeUndefined();
  });

  it('refuses values that cannot be stored, with a SerializationError naming the path', async () => {
    const { cache, store } = setup();
    const error = await cache
      .getOrSet(acme, 'crm', async () => ({ lead: { format: () => 'x' } }))
      .catch((caught: unknown) => caught);
    expect(SerializationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/value\.lead\.format is a function/);
    const big = setup({ maxValueBytes: 100 }).cache;
    await expect(big.set(acme, 'crm', 'x'.repeat(200))).rejects.toThrow(/over the limit of 100/);
    expect(await store.get(acme, 'context:crm')).toBeUndefined();
  });

  it('treats a cached value that fails its schema as a miss', async () => {
    const { cache, events } = setup();
    await cache.set(acme, 'crm', { leads: 'three' });
    const schema = z.object({ leads: z.number() });
    expect(await cache.getOrSet(acme, 'crm', async () => ({ leads: 3 }), { schema })).toEqual({ leads: 3 });
    expect(await cache.get(acme, 'crm', { schema })).toEqual({ leads: 3 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'cache-error', operation: 'validate' }));
  });

  it('emits telemetry with kind, tier and latency', async () => {
    const { cache, events } = setup();
    await cache.getOrSet(acmeAna, 'prefs', async () => 'dark mode');
    await cache.getOrSet(acmeAna, 'prefs', async () => 'dark mode');
    const [miss, hit] = events.filter((event) => event.type === 'cache-miss' || event.type === 'cache-hit');
    expect(miss).toMatchObject({
      type: 'cache-miss',
      kind: 'prefs',
      scope: { workspaceId: 'acme', userId: 'ana' },
    });
    expect(hit).toMatchObject({ type: 'cache-hit', kind: 'prefs', tier: 'memory' });
    expect(typeof (hit as { durationMs: number }).durationMs).toBe('number');
  });

  it('rejects bad input with typed errors and keeps what is stored', async () => {
    const { cache } = setup();
    await cache.set(acme, 'crm', 'kept');
    const bad: Array<[() => Promise<unknown>, { isInstance(error: unknown): boolean }, RegExp]> = [
      [() => cache.getOrSet({ workspaceId: 'a:b' }, 'crm', async () => 1), ScopeError, /not allowed/],
      [() => cache.getOrSet(acme, 'crm:x', async () => 1), ValidationError, /cache key/],
      [() => cache.getOrSet(acme, { kind: 'crm', id: '' }, async () => 1), ValidationError, /id/],
      [() => cache.getOrSet(acme, 'unknown', async () => 1), ValidationError, /has no TTL.*kinds/],
      [() => cache.getOrSet(acme, 'crm', async () => 1, { ttlMs: -1 }), ValidationError, /ttlMs/],
      [() => cache.getOrSet(acme, 'crm', async () => 1, { tags: ['a\nb'] }), ValidationError, /control/],
      [() => cache.getOrSet(acme, 'crm', 'not a function' as never), ValidationError, /loader/],
      [() => cache.invalidate(acme, 'bad kind'), ValidationError, /cache kind/],
      [() => cache.invalidateTags(globex, [''] as never), ValidationError, /tags/],
    ];
    for (const [call, errorClass, message] of bad) {
      const error = await call().catch((caught: unknown) => caught);
      expect(errorClass.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    expect(await cache.get(acme, 'crm')).toBe('kept');
    expect(() => createCache({ storeTimeoutMs: -1 })).toThrow(ConfigurationError);
    expect(() => createCache({ kinds: { crm: { ttlMs: 0 } } })).toThrow(/kinds\.crm\.ttlMs/);
  });
});
