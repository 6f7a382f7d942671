import { describe, expect, it } from 'vitest';
import { ConfigurationError, StoreError, TimeoutError, ValidationError } from '../errors';
import { mapPostgresError } from './postgres-error';

const hints = {
  missingSchema: 'Run the migrations.',
  refusedValue: 'Check the input.',
  configuration: (code: string) => (code === '0A000' ? 'Install the extension.' : undefined),
};

/** As drizzle throws it: its own message lists the parameters; the driver's error is the cause. */
function drizzleError(code: string, message: string): Error {
  const driver = Object.assign(new Error(message), { code });
  return new Error('Failed query: insert ... params: secret user text', { cause: driver });
}

describe('mapPostgresError', () => {
  it('maps each SQLSTATE class to the error someone can act on, without repeating the parameters', () => {
    const missing = mapPostgresError(
      drizzleError('42P01', 'relation "t" does not exist'),
      'store.read',
      hints,
    );
    expect(ConfigurationError.isInstance(missing)).toBe(true);
    expect(missing.message).toBe('store.read failed: relation "t" does not exist. Run the migrations.');
    expect(missing.details).toEqual({ code: '42P01', operation: 'store.read' });

    const custom = mapPostgresError(drizzleError('0A000', 'feature not supported'), 'store.init', hints);
    expect(custom.message).toBe('store.init failed: feature not supported. Install the extension.');

    for (const code of ['22021', '23514']) {
      const refused = mapPostgresError(drizzleError(code, 'bad value'), 'store.write', hints);
      expect(ValidationError.isInstance(refused)).toBe(true);
      expect(refused.message).toBe('store.write: Postgres refused a value (bad value). Check the input.');
    }
    expect(TimeoutError.isInstance(mapPostgresError(drizzleError('57014', 'canceled'), 'q', hints))).toBe(
      true,
    );

    const lost = mapPostgresError(drizzleError('08006', 'connection failure'), 'q', hints);
    const denied = mapPostgresError(drizzleError('42501', 'permission denied'), 'q', hints);
    const unknown = mapPostgresError(new Error('socket hang up'), 'q', hints);
    expect([lost, denied, unknown].map((error) => [StoreError.isInstance(error), error.isRetryable])).toEqual(
      [
        [true, true],
        [true, false],
        [true, true],
      ],
    );
    for (const error of [missing, custom, lost]) expect(error.message).not.toContain('secret user text');
  });

  it('passes a Neptune error through as it is', () => {
    const original = new TimeoutError({ message: 'already mapped' });
    expect(mapPostgresError(original, 'q', hints)).toBe(original);
  });
});
