import {
  createTelemetryChannel,
  memoryKeyValueStore,
  type NeptuneEvent,
  SerializationError,
} from '@neptune/core';
import { describe, expect, it, vi } from 'vitest';
import { createCache } from './create-cache';

const acme = { workspaceId: 'acme' };

// Issue 15 item 10: too large to cache must never cost the answer.
describe('read-through with a value over maxValueBytes', () => {
  function setup() {
    let now = 1_700_000_000_000;
    const store = memoryKeyValueStore({ now: () => now });
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const cache = createCache({ store, telemetry, now: () => now, maxValueBytes: 1024 });
    return { cache, store, events, advance: (ms: number) => (now += ms) };
  }

  it('serves the loaded value to every caller, says it was not cached, and stores nothing', async () => {
    const { cache, store, events } = setup();
    const big = { rows: 'r'.repeat(5_000) };
    const loader = vi.fn(async () => big);
    const answers = await Promise.all(Array.from({ length: 5 }, () => cache.getOrSet(acme, 'crm', loader)));
    expect(answers.every((answer) => answer.rows.length === 5_000)).toBe(true);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await store.get(acme, 'context:crm')).toBeUndefined();
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'cache-error',
        kind: 'crm',
        operation: 'encode',
        errorCode: 'serialization-failed',
      }),
    );
    // The next request loads again (nothing was cached) and is answered again.
    expect((await cache.getOrSet(acme, 'crm', loader)).rows.length).toBe(5_000);
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('keeps serving when a background refresh loads a value grown too large', async () => {
    const { cache, advance } = setup();
    await cache.getOrSet(acme, 'crm', async () => 'small', { ttlMs: 1_000, graceMs: 1_000 });
    advance(1_500); // stale, inside its grace: served while a background refresh loads
    const grown = vi.fn(async () => 'g'.repeat(5_000));
    expect(await cache.getOrSet(acme, 'crm', grown, { ttlMs: 1_000, graceMs: 1_000 })).toBe('small');
    await vi.waitFor(() => expect(grown).toHaveBeenCalledTimes(1));
    advance(120_000);
    expect(await cache.getOrSet(acme, 'crm', grown, { ttlMs: 1_000, graceMs: 1_000 })).toHaveLength(5_000);
  });

  it('still refuses a value JSON cannot hold: that is a programming error, not a size', async () => {
    const { cache } = setup();
    const error = await cache
      .getOrSet(acme, 'crm', async () => ({ format: () => 'x' }))
      .catch((caught: unknown) => caught);
    expect(SerializationError.isInstance(error)).toBe(true);
  });
});
