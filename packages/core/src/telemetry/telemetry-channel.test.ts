import { describe, expect, it } from 'vitest';
import type { NeptuneEvent } from './events';
import { createTelemetryChannel, defaultTelemetry, noopTelemetry } from './telemetry-channel';

const hit: NeptuneEvent = { type: 'cache-hit', timestamp: 1, kind: 'crm', durationMs: 0.2 };
const miss: NeptuneEvent = { type: 'cache-miss', timestamp: 2, kind: 'crm', durationMs: 3 };

describe('telemetry channel', () => {
  it('is inactive until someone subscribes, and again after they leave', () => {
    const channel = createTelemetryChannel();
    expect(channel.active).toBe(false);
    const unsubscribe = channel.subscribe(() => {});
    expect(channel.active).toBe(true);
    unsubscribe();
    unsubscribe();
    expect(channel.active).toBe(false);
  });

  it('delivers every event to catch-all listeners and only matching ones to typed listeners', () => {
    const channel = createTelemetryChannel();
    const all: string[] = [];
    const hits: number[] = [];
    channel.subscribe((event) => all.push(event.type));
    channel.on('cache-hit', (event) => hits.push(event.durationMs));
    channel.emit(hit);
    channel.emit(miss);
    expect(all).toEqual(['cache-hit', 'cache-miss']);
    expect(hits).toEqual([0.2]);
  });

  it('isolates a throwing listener from the emitter and from the others', () => {
    const reported: unknown[] = [];
    const channel = createTelemetryChannel({ onListenerError: (error) => reported.push(error) });
    const received: string[] = [];
    channel.subscribe(() => {
      throw new Error('listener bug');
    });
    channel.subscribe((event) => received.push(event.type));
    expect(() => channel.emit(hit)).not.toThrow();
    expect(received).toEqual(['cache-hit']);
    expect(reported).toHaveLength(1);
  });

  it('lets a listener unsubscribe during an emit without skipping others', () => {
    const channel = createTelemetryChannel();
    const received: string[] = [];
    const unsubscribe = channel.subscribe(() => unsubscribe());
    channel.subscribe(() => received.push('second'));
    channel.emit(hit);
    channel.emit(hit);
    expect(received).toEqual(['second', 'second']);
  });

  it('shares the default channel across copies through globalThis, and the noop channel drops everything', () => {
    expect(defaultTelemetry()).toBe(defaultTelemetry());
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('neptune.telemetry.default-channel')]).toBe(
      defaultTelemetry(),
    );
    const unsubscribe = noopTelemetry.subscribe(() => {
      throw new Error('never called');
    });
    noopTelemetry.emit(hit);
    expect(noopTelemetry.active).toBe(false);
    unsubscribe();
  });
});
