import { ScopeError, SerializationError, ValidationError } from '@neptune/core';
import { describeBadInputConformance } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import * as aiSdk from '../src/ai-sdk/index';
import * as memory from '../src/in-memory/index';
import * as cache from '../src/index';
import * as redis from '../src/redis/index';
import * as upstash from '../src/upstash/index';

// Unset, so that a factory given no URL says what is missing instead of connecting to the real service.
const unsetEnvironment = ['REDIS_URL', 'UPSTASH_REDIS_REST_URL'];

describeBadInputConformance({ name: '@neptune/cache', exports: cache, unsetEnvironment });
describeBadInputConformance({ name: '@neptune/cache/memory', exports: memory, unsetEnvironment });
describeBadInputConformance({ name: '@neptune/cache/redis', exports: redis, unsetEnvironment });
describeBadInputConformance({ name: '@neptune/cache/upstash', exports: upstash, unsetEnvironment });
describeBadInputConformance({ name: '@neptune/cache/ai-sdk', exports: aiSdk, unsetEnvironment });

describe("a cache's methods refuse bad input with a ValidationError or ScopeError", () => {
  const scope = { workspaceId: 'acme' };
  const calls: Array<[string, (instance: cache.Cache) => Promise<unknown>]> = [
    ['invalidate(scope, undefined)', (c) => c.invalidate(scope, undefined as never)],
    ['invalidate(scope, 42)', (c) => c.invalidate(scope, 42 as never)],
    ['invalidate(scope, [null])', (c) => c.invalidate(scope, [null] as never)],
    ['invalidateTags(scope, undefined)', (c) => c.invalidateTags(scope, undefined as never)],
    ['invalidateTags(scope, "tag")', (c) => c.invalidateTags(scope, 'tag' as never)],
    ['invalidate(null, "crm")', (c) => c.invalidate(null as never, 'crm')],
    ['getOrSet(scope, "crm", undefined)', (c) => c.getOrSet(scope, 'crm', undefined as never)],
    ['getOrSet(scope, {}, loader)', (c) => c.getOrSet(scope, {} as never, async () => 1)],
    ['get(scope, "crm", { ttlMs: -1 })', (c) => c.get(scope, 'crm', { ttlMs: -1 })],
    ['set(scope, "crm", 1, { tags: "x" })', (c) => c.set(scope, 'crm', 1, { tags: 'x' as never })],
    ['delete({ workspaceId: "" }, "crm")', (c) => c.delete({ workspaceId: '' }, 'crm')],
  ];
  it('refuses a value nested 100,000 levels deep with a SerializationError, not a RangeError', async () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level++) deep = { child: deep };
    const instance = cache.createCache();
    await expect(instance.set(scope, 'crm', deep)).rejects.toSatisfy((error) =>
      SerializationError.isInstance(error),
    );
    await expect(instance.getOrSet(scope, 'crm', async () => deep)).rejects.toSatisfy((error) =>
      SerializationError.isInstance(error),
    );
  });
  it.each(calls)('%s', async (_name, call) => {
    const instance = cache.createCache();
    const failure = await call(instance).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(ValidationError.isInstance(failure) || ScopeError.isInstance(failure)).toBe(true);
  });
});
