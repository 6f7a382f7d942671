import { type Cache, createCache } from '@neptune/cache';
import {
  ConfigurationError,
  defaultTelemetry,
  MAX_QUERY_LENGTH,
  parseInput,
  parseOptions,
  type Scope,
  type TelemetryChannel,
  throwIfAborted,
  validateScope,
} from '@neptune/core';
import { z } from 'zod';
import type { ContextItem } from '../context-item';
import type { ContextSource } from './define-context-source';
import { gatherSource, type SourceOutcome } from './gather-source';

/** What `gather` returns: the items of the sources that answered, and how each source fared. */
export interface GatheredContext {
  /** Every item of every source that answered, in source order, then load order. */
  readonly items: readonly ContextItem[];
  /** One per source asked, in source order. */
  readonly sources: readonly SourceOutcome[];
  /** Kinds that failed or timed out and were left out. */
  readonly failed: readonly string[];
  /** Sources answered by the cache. */
  readonly cacheHits: number;
  readonly durationMs: number;
}

/** What `createContextGatherer` returns: gathers the sources' items for a scope, through the cache. */
export interface ContextGatherer {
  readonly sources: readonly ContextSource[];
  readonly cache: Cache;
  /**
   * Runs the sources in parallel, each through the cache with its own timeout. A source that fails or
   * is slow is reported in `failed` and `sources` and left out; the gather itself only throws for a bad
   * scope, unknown kinds, or the caller's abort.
   */
  gather(scope: Scope, options?: GatherOptions): Promise<GatheredContext>;
  /** Drops cached items of these kinds for the scope (a workspace scope covers its users): call after a write. */
  invalidate(scope: Scope, kinds: string | readonly string[]): Promise<void>;
}

/** How long a gather waits for each source, in ms, before answering without it. */
export const DEFAULT_SOURCE_TIMEOUT_MS = 500;

const optionsShape = {
  /** From `defineContextSource`; kinds must be unique. */
  sources: z
    .array(
      z.custom<ContextSource>(
        (value) => typeof (value as ContextSource | undefined)?.loadItems === 'function',
        'must be made by defineContextSource',
      ),
    )
    .min(1, 'needs at least one source')
    .readonly(),
  /** Where loaded items are cached. Default: `createCache()` in process memory; share one on Redis in production. */
  cache: z
    .custom<Cache>((value) => typeof (value as Cache | undefined)?.getOrSet === 'function', 'must be a Cache')
    .optional(),
  /** How long a request waits for a source that sets no `timeoutMs`, in ms. Default 500. */
  timeoutMs: z.number().int().positive().default(DEFAULT_SOURCE_TIMEOUT_MS),
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  telemetry: z
    .custom<TelemetryChannel>((value) => typeof (value as TelemetryChannel | undefined)?.emit === 'function')
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `createContextGatherer`. */
export type ContextGathererOptions = z.input<typeof optionsSchema>;

const gatherOptionsShape = {
  /** The user's question: passed to `varyByQuery` sources and part of their cache key. */
  query: z
    .string()
    .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters: the question, not a document`)
    .optional(),
  /** Cancels the gather (it then throws `AbortError`) and the loads it started. */
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
  /** Only these kinds. Default: every source. */
  kinds: z.array(z.string()).readonly().optional(),
  /** Correlates the telemetry events of one assistant request. */
  requestId: z.string().max(256).optional(),
};
const gatherOptionsSchema: z.ZodObject<typeof gatherOptionsShape> = z.object(gatherOptionsShape);

/** Options of one `gather` call. */
export type GatherOptions = z.input<typeof gatherOptionsSchema>;

/** Gathers app context from the sources you define: parallel, cached, each bounded by a timeout. */
export function createContextGatherer(options: ContextGathererOptions): ContextGatherer {
  const checked = parseOptions(optionsSchema, options, 'createContextGatherer options');
  const kinds = new Map<string, ContextSource>();
  for (const source of checked.sources) {
    if (kinds.has(source.kind)) {
      throw new ConfigurationError({
        message: `Two context sources have the kind "${source.kind}". Kinds name cache entries, so each source needs its own.`,
        details: { kind: source.kind },
      });
    }
    kinds.set(source.kind, source);
  }
  const cache = checked.cache ?? createCache({ telemetry: checked.telemetry });
  const telemetry = checked.telemetry ?? defaultTelemetry();

  function select(requested: readonly string[] | undefined): readonly ContextSource[] {
    if (requested === undefined) return checked.sources;
    const unknown = requested.filter((kind) => !kinds.has(kind));
    if (unknown.length > 0) {
      throw new ConfigurationError({
        message: `Unknown context source kind(s) ${unknown.map((kind) => `"${kind.slice(0, 64)}"`).join(', ')}; the gatherer has ${[...kinds.keys()].join(', ')}.`,
        details: { unknown },
      });
    }
    return checked.sources.filter((source) => requested.includes(source.kind));
  }

  return {
    sources: checked.sources,
    cache,
    async gather(scope, gatherOptions = {}) {
      const valid = validateScope(scope);
      const call = parseInput(gatherOptionsSchema, gatherOptions, 'gather options');
      throwIfAborted(call.signal, 'Context gathering');
      const selected = select(call.kinds);
      const startedAt = performance.now();
      const results = await Promise.all(
        selected.map((source) =>
          gatherSource({
            cache,
            source,
            scope: valid,
            query: call.query ?? '',
            timeoutMs: source.timeoutMs ?? checked.timeoutMs,
            signal: call.signal,
          }),
        ),
      );
      const outcomes = results.map((result) => result.outcome);
      const gathered: GatheredContext = {
        items: results.flatMap((result) => result.items),
        sources: outcomes,
        failed: outcomes
          .filter((outcome) => outcome.status === 'failed' || outcome.status === 'timed-out')
          .map((outcome) => outcome.kind),
        cacheHits: outcomes.filter((outcome) => outcome.cached).length,
        durationMs: performance.now() - startedAt,
      };
      if (telemetry.active) report(telemetry, valid, call.requestId, gathered);
      return gathered;
    },
    invalidate: (scope, invalidated) => cache.invalidate(scope, invalidated),
  };
}

function report(
  telemetry: TelemetryChannel,
  scope: Scope,
  requestId: string | undefined,
  gathered: GatheredContext,
) {
  const timestamp = Date.now();
  for (const outcome of gathered.sources) {
    if (outcome.error === undefined) continue;
    // The message names the source and the error code only: a source's error may quote customer data.
    telemetry.emit({
      type: 'error',
      timestamp,
      scope,
      requestId,
      source: 'context',
      code: outcome.error.code,
      message: `Context source "${outcome.kind}" ${outcome.status === 'timed-out' ? 'timed out' : 'failed'} and was left out.`,
      retryable: outcome.error.isRetryable,
    });
  }
  telemetry.emit({
    type: 'context-gather',
    timestamp,
    scope,
    requestId,
    durationMs: gathered.durationMs,
    sources: gathered.sources.length,
    failed: gathered.failed,
    cacheHits: gathered.cacheHits,
    items: gathered.items.length,
    timedOut: gathered.sources
      .filter((outcome) => outcome.status === 'timed-out')
      .map((outcome) => outcome.kind),
  });
}
