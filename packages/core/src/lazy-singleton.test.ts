import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors';
import { lazySingleton } from './lazy-singleton';

let next = 0;
const freshKey = () => `test.lazy-singleton.${next++}.${Math.random()}`;

describe('lazySingleton', () => {
  it('creates nothing until called, then once, even for concurrent first calls', async () => {
    let created = 0;
    const get = lazySingleton(freshKey(), async () => ({ id: ++created }));
    expect(created).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect(created).toBe(1);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
  });

  it('shares the instance between two copies of the module (route bundles, a dev reload)', async () => {
    const key = freshKey();
    const first = lazySingleton(key, () => ({ copy: 'first' }));
    const reloaded = lazySingleton(key, () => ({ copy: 'reloaded' }));
    expect(await reloaded()).toEqual({ copy: 'reloaded' });
    expect(await first()).toBe(await reloaded());
    expect(
      (globalThis as Record<symbol, unknown>)[Symbol.for(`neptune.lazy-singleton:${key}`)],
    ).toBeDefined();
  });

  it('tries again after a failed creation, and creates anew after reset', async () => {
    let attempts = 0;
    const get = lazySingleton(freshKey(), () => {
      attempts++;
      if (attempts === 1) throw new Error('Redis is down');
      return { attempt: attempts };
    });
    await expect(get()).rejects.toThrow('Redis is down');
    expect(await get()).toEqual({ attempt: 2 });
    get.reset();
    expect(await get()).toEqual({ attempt: 3 });
  });

  it('refuses an empty key, naming it', () => {
    expect(() => lazySingleton('  ', () => 1)).toThrow(ConfigurationError);
    expect(() => lazySingleton('', () => 1)).toThrow(/key must be a non-empty string/);
  });
});
