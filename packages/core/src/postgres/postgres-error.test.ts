import { inspect } from 'node:util';
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

  // Issue 15 item 6: no error carries stored content, also when the driver has no SQLSTATE to give.
  it('never repeats the parameters: not for a refused connection, not in the cause, not for a refused value', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const drizzle = Object.assign(new Error('Failed query: insert ...\nparams: my secret diary entry'), {
      query: 'insert ...',
      params: ['my secret diary entry'],
      cause: refused,
    });
    const lost = mapPostgresError(drizzle, 'store.append', hints);
    expect(lost.message).toBe('store.append failed: connect ECONNREFUSED 127.0.0.1:5432.');
    expect(lost.details).toEqual({ code: 'ECONNREFUSED', operation: 'store.append' });
    expect(lost.isRetryable).toBe(true);

    const bare = mapPostgresError(
      Object.assign(new Error('Failed query: select\nparams: my secret diary entry'), { params: [] }),
      'store.read',
      hints,
    );
    expect(bare.message).toBe('store.read failed: the query failed.');

    const driver = Object.assign(new Error('invalid input syntax for type uuid: "my secret diary entry"'), {
      code: '22P02',
      detail: 'my secret diary entry',
    });
    const value = mapPostgresError(Object.assign(new Error('Failed query'), { cause: driver }), 'q', hints);
    expect(value.message).toBe(
      'q: Postgres refused a value (invalid input syntax for type uuid: "…"). Check the input.',
    );

    for (const error of [lost, bare, value]) {
      expect(inspect(error, { depth: 10 })).not.toContain('secret');
      expect(JSON.stringify(error)).not.toContain('secret');
    }
    expect((lost.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
