import { parseInput, ValidationError } from '@neptune/core';
import { checkTags } from './cache-key';
import { BUILT_IN_CACHE_KINDS, type CacheKindPolicy, MAX_ENTRY_LIFETIME_MS } from './cache-kinds';
import { type CacheCallOptions, callOptionsSchema } from './cache-options';
import type { ResolvedPolicy } from './read-through';

/**
 * Resolves the TTL, grace, tags and schema of one call: the call's options over the kind's declared
 * policy over the built-in kinds. A call without options on a declared kind reuses one frozen object, so
 * the hit path allocates nothing here.
 */
export function createKindPolicies(
  declared: Readonly<Record<string, CacheKindPolicy>> | undefined,
): (kind: string, call: CacheCallOptions | undefined) => ResolvedPolicy {
  const kinds = new Map<string, ResolvedPolicy>();
  for (const [kind, policy] of Object.entries({ ...BUILT_IN_CACHE_KINDS, ...declared })) {
    kinds.set(
      kind,
      Object.freeze({ ttlMs: policy.ttlMs, graceMs: policy.graceMs ?? 0, tags: [], schema: undefined }),
    );
  }

  return (kind, call) => {
    const base = kinds.get(kind);
    if (call === undefined && base !== undefined) return base;
    const parsed = call === undefined ? {} : parseInput(callOptionsSchema, call, 'cache call options');
    const ttlMs = parsed.ttlMs ?? base?.ttlMs;
    if (ttlMs === undefined) {
      throw new ValidationError({
        message: `The cache kind "${kind}" has no TTL. Declare it with createCache({ kinds: { "${kind}": { ttlMs } } }) or pass ttlMs in this call.`,
        details: { kind },
      });
    }
    // A grace inherited from the kind shrinks with a shorter TTL given in the call; one given is checked.
    const graceMs = parsed.graceMs ?? Math.min(base?.graceMs ?? 0, ttlMs);
    if (graceMs > ttlMs) {
      throw new ValidationError({
        message: `graceMs (${graceMs} ms) is longer than ttlMs (${ttlMs} ms) for the cache kind "${kind}". Grace must be at most the TTL: the oldest value served is ttlMs + graceMs.`,
        details: { kind, field: 'graceMs' },
      });
    }
    if (ttlMs + graceMs > MAX_ENTRY_LIFETIME_MS) {
      throw new ValidationError({
        message: `ttlMs + graceMs is ${ttlMs + graceMs} ms for the cache kind "${kind}"; the limit is ${MAX_ENTRY_LIFETIME_MS} ms (7 days).`,
        details: { kind },
      });
    }
    return { ttlMs, graceMs, tags: checkTags(parsed.tags), schema: parsed.schema };
  };
}
