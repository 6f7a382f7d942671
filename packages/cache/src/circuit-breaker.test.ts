import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';

function breaker() {
  let now = 0;
  const states: CircuitState[] = [];
  let recoveries = 0;
  const instance = new CircuitBreaker({
    failureThreshold: 3,
    openMs: 1_000,
    now: () => now,
    onStateChange: (state) => states.push(state),
    onRecover: () => recoveries++,
  });
  return {
    instance,
    states,
    recoveries: () => recoveries,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold failures in a row, and a success in between resets the count', () => {
    const { instance, states } = breaker();
    instance.failure();
    instance.failure();
    instance.success();
    instance.failure();
    instance.failure();
    expect(instance.state).toBe('closed');
    instance.failure();
    expect(instance.state).toBe('open');
    expect(instance.allow()).toBe(false);
    expect(states).toEqual(['open']);
  });

  it('lets exactly one probe through after openMs; its success closes the circuit', () => {
    const { instance, states, advance, recoveries } = breaker();
    for (let index = 0; index < 3; index++) instance.failure();
    advance(999);
    expect(instance.allow()).toBe(false);
    advance(1);
    expect(instance.allow()).toBe(true);
    expect(instance.state).toBe('half-open');
    expect(instance.allow()).toBe(false);
    instance.success();
    expect(instance.state).toBe('closed');
    expect(instance.allow()).toBe(true);
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(recoveries()).toBe(1);
  });

  it('reopens for another openMs when the probe fails', () => {
    const { instance, advance } = breaker();
    for (let index = 0; index < 3; index++) instance.failure();
    advance(1_000);
    expect(instance.allow()).toBe(true);
    instance.failure();
    expect(instance.state).toBe('open');
    advance(999);
    expect(instance.allow()).toBe(false);
    advance(1);
    expect(instance.allow()).toBe(true);
  });
});
