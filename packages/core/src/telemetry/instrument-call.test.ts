import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '../errors';
import type { NeptuneEvent } from './events';
import { instrumentCall } from './instrument-call';
import { createTelemetryChannel } from './telemetry-channel';

const acme = { workspaceId: 'acme', userId: 'ada' };

function listenedChannel() {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  return { telemetry, events };
}

const mapToStoreError = (error: unknown) =>
  new StoreError({ message: `store.read failed: ${(error as Error).message}.`, cause: error });

describe('instrumentCall', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns the result and reports a db-query event with its name, scope, duration and rows', async () => {
    vi.useFakeTimers({ now: 1_000 });
    const { telemetry, events } = listenedChannel();
    const result = await instrumentCall({
      name: 'store.read',
      scope: acme,
      telemetry,
      slowQueryMs: 500,
      source: 'rag',
      run: async () => {
        vi.setSystemTime(1_120);
        return ['a', 'b', 'c'];
      },
      rows: (found) => found.length,
      mapError: mapToStoreError,
    });
    expect(result).toEqual(['a', 'b', 'c']);
    expect(events).toEqual([
      {
        type: 'db-query',
        timestamp: 1_000,
        scope: acme,
        name: 'store.read',
        durationMs: 120,
        rows: 3,
        slow: false,
      },
    ]);
  });

  it('flags a call as slow from the threshold on, and leaves rows out when not asked for', async () => {
    vi.useFakeTimers({ now: 0 });
    const { telemetry, events } = listenedChannel();
    await instrumentCall({
      name: 'store.write',
      scope: undefined,
      telemetry,
      slowQueryMs: 50,
      source: 'memory',
      run: async () => vi.setSystemTime(50),
      mapError: mapToStoreError,
    });
    expect(events[0]).toMatchObject({ type: 'db-query', durationMs: 50, slow: true, rows: undefined });
  });

  it('throws the mapped error and reports it as an error event from the given source', async () => {
    const { telemetry, events } = listenedChannel();
    const thrown = new Error('connection refused');
    const failure = instrumentCall({
      name: 'store.read',
      scope: acme,
      telemetry,
      slowQueryMs: 500,
      source: 'memory',
      run: () => Promise.reject(thrown),
      mapError: mapToStoreError,
    });
    await expect(failure).rejects.toSatisfy(
      (error) => StoreError.isInstance(error) && error.cause === thrown,
    );
    expect(events).toEqual([
      {
        type: 'error',
        timestamp: expect.any(Number),
        scope: acme,
        source: 'memory',
        code: 'store-unavailable',
        message: 'store.read failed: connection refused.',
        retryable: true,
      },
    ]);
  });

  it('builds no event when nobody listens', async () => {
    const telemetry = createTelemetryChannel();
    const emit = vi.spyOn(telemetry, 'emit');
    const rows = vi.fn(() => 1);
    await instrumentCall({
      name: 'store.read',
      scope: acme,
      telemetry,
      slowQueryMs: 500,
      source: 'rag',
      run: async () => 'value',
      rows,
      mapError: mapToStoreError,
    });
    await expect(
      instrumentCall({
        name: 'store.read',
        scope: acme,
        telemetry,
        slowQueryMs: 500,
        source: 'rag',
        run: () => Promise.reject(new Error('down')),
        mapError: mapToStoreError,
      }),
    ).rejects.toThrow('store.read failed: down.');
    expect(rows).not.toHaveBeenCalled();
    expect(emit).not.toHaveBeenCalled();
  });
});
