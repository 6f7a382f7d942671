import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  describeValue,
  NeptuneError,
  ProviderError,
  StoreError,
  TimeoutError,
  ValidationError,
} from './errors';

describe('NeptuneError', () => {
  it('carries code, cause, retryability and details', () => {
    const cause = new Error('socket closed');
    const error = new StoreError({ message: 'redis down', cause, details: { store: 'redis' } });
    expect(error.code).toBe('store-unavailable');
    expect(error.isRetryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ store: 'redis' });
    expect(error.name).toBe('StoreError');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(NeptuneError);
    expect(error).toBeInstanceOf(StoreError);
  });

  it('subclasses may override the default code and retryability', () => {
    const error = new ProviderError({ message: 'x', code: 'rate-limited', isRetryable: true });
    expect(error.code).toBe('rate-limited');
    expect(error.isRetryable).toBe(true);
    expect(new ProviderError({ message: 'x' }).isRetryable).toBe(false);
  });

  it('isInstance tells classes apart', () => {
    const timeout = new TimeoutError({ message: 't' });
    expect(NeptuneError.isInstance(timeout)).toBe(true);
    expect(TimeoutError.isInstance(timeout)).toBe(true);
    expect(ValidationError.isInstance(timeout)).toBe(false);
    expect(NeptuneError.isInstance(new Error('plain'))).toBe(false);
    expect(NeptuneError.isInstance(null)).toBe(false);
    expect(NeptuneError.isInstance('NeptuneError')).toBe(false);
  });

  it('isInstance works across two copies of the package (markers, not prototypes)', () => {
    // A second copy of the package would create its own classes; simulate one with a foreign object that
    // carries the same registered symbols, as an error from that copy would.
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('neptune.error')]: true,
      code: 'invalid-argument',
    });
    Object.defineProperty(foreign, Symbol.for('neptune.error.ValidationError'), { value: true });
    expect(foreign).not.toBeInstanceOf(NeptuneError);
    expect(NeptuneError.isInstance(foreign)).toBe(true);
    expect(ValidationError.isInstance(foreign)).toBe(true);
    expect(ConfigurationError.isInstance(foreign)).toBe(false);
  });

  it('serialises without user content beyond the message', () => {
    const error = new ValidationError({ message: 'bad', details: { what: 'key' } });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ValidationError',
      code: 'invalid-argument',
      message: 'bad',
      isRetryable: false,
      details: { what: 'key' },
    });
  });
});

describe('describeValue', () => {
  it('cuts long values short and names odd ones', () => {
    expect(describeValue('x'.repeat(200))).toHaveLength(60);
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(() => 1)).toBe('[function]');
    expect(describeValue(10n)).toBe('10n');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeValue(cycle)).toBe('[object Object]');
  });
});
