import type { Cache } from '@neptune/cache';
import { NeptuneError, type Scope, StoreError, TimeoutError } from '@neptune/core';
import type { ContextItem } from '../context-item';
import type { ContextSource } from './define-context-source';
import { loadSignal } from './load-signal';
import { queryCacheId } from './query-cache-id';
import { waitAtMost } from './wait-at-most';

/** What happened to one source during one `gather`. */
export interface SourceOutcome {
  readonly kind: string;
  /**
   * `ok`; `failed` (it threw: see `error`); `timed-out` (left out; its load may still fill the cache);
   * `skipped` (a per-user source and no `userId` in the scope).
   */
  readonly status: 'ok' | 'failed' | 'timed-out' | 'skipped';
  /** Answered by the cache (fresh, stale inside its grace period, or a load another call had started). */
  readonly cached: boolean;
  readonly items: number;
  readonly durationMs: number;
  readonly error?: NeptuneError | undefined;
}

export interface GatherSourceOptions {
  readonly cache: Cache;
  readonly source: ContextSource;
  readonly scope: Scope;
  readonly query: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Part of every cache id: bumped when `ContextItem` changes shape, so a deploy never reads entries an older
 * version wrote. Cheaper than re-validating every cached item on every hit: sources check their records
 * before anything is cached, so only a change of this package's own shape needs guarding against.
 */
export const ITEM_FORMAT_VERSION = 'i1';

/**
 * Runs one source through the cache with its own timeout. Never rejects, except with the caller's
 * `AbortError`: a failure or a timeout becomes the outcome's status, so that one source cannot fail the
 * request.
 */
export async function gatherSource(
  options: GatherSourceOptions,
): Promise<{ outcome: SourceOutcome; items: readonly ContextItem[] }> {
  const { cache, source, scope, signal } = options;
  const startedAt = performance.now();
  const finish = (
    status: SourceOutcome['status'],
    items: readonly ContextItem[],
    cached: boolean,
    error?: NeptuneError,
  ) => ({
    outcome: {
      kind: source.kind,
      status,
      cached,
      items: items.length,
      durationMs: performance.now() - startedAt,
      ...(error === undefined ? {} : { error }),
    },
    items,
  });
  if (source.scope === 'user' && scope.userId === undefined) return finish('skipped', [], false);

  const cacheScope: Scope =
    source.scope === 'user'
      ? { workspaceId: scope.workspaceId, userId: scope.userId }
      : { workspaceId: scope.workspaceId };
  // The value our own loader produced: anything else was served by the cache (or by a load another
  // call started), which is how a hit is told from a miss without a second cache call.
  let loaded: ContextItem[] | undefined;
  const pending = cache.getOrSet(
    cacheScope,
    {
      kind: source.kind,
      id: source.varyByQuery ? `${ITEM_FORMAT_VERSION}:${queryCacheId(options.query)}` : ITEM_FORMAT_VERSION,
    },
    async () => {
      const load = loadSignal(signal, source.loadTimeoutMs);
      try {
        loaded = await source.loadItems(cacheScope, { query: options.query, signal: load.signal });
        return loaded;
      } finally {
        load.dispose();
      }
    },
    { ttlMs: source.ttlMs, graceMs: source.graceMs, tags: source.tags },
  );
  // The load may outlive our wait; its failure is reported below or by the cache, never unhandled.
  pending.catch(() => {});
  try {
    const items = await waitAtMost(pending, {
      timeoutMs: options.timeoutMs,
      signal,
      what: `Context source "${source.kind}"`,
    });
    return finish('ok', items, items !== loaded);
  } catch (error) {
    if (signal?.aborted) throw error;
    const failure = toNeptuneError(error, source.kind);
    return finish(TimeoutError.isInstance(failure) ? 'timed-out' : 'failed', [], false, failure);
  }
}

function toNeptuneError(error: unknown, kind: string): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  return new StoreError({
    message: `Context source "${kind}" failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
    details: { kind },
  });
}
