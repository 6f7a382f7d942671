import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import {
  checkArgument,
  type Scope,
  StoreError,
  sha256Hex,
  stableStringify,
  ValidationError,
} from '@neptune/core';
import type { Cache } from '../create-cache';

export interface AiSdkCacheOptions {
  readonly cache: Cache;
  /** Whose cache it is: answers are never shared across workspaces (or users, with a user scope). */
  readonly scope: Scope;
  /** The cache kind entries are stored under, for `invalidate(scope, kind)` and per-kind stats. */
  readonly kind?: string | undefined;
  /** How long an answer is reused, in ms. Default 1 hour. */
  readonly ttlMs?: number | undefined;
  /** Decide per call; e.g. skip calls with a high temperature. Default: every call is cached. */
  readonly shouldCache?: ((params: LanguageModelV3CallOptions) => boolean) | undefined;
}

/** Everything that changes the answer, nothing that does not (the abort signal, headers). */
export async function modelCallKey(
  model: LanguageModelV3,
  params: LanguageModelV3CallOptions,
): Promise<string> {
  checkArgument(
    typeof model === 'object' &&
      model !== null &&
      typeof model.provider === 'string' &&
      typeof model.modelId === 'string',
    'modelCallKey: model',
    'an AI SDK language model (with provider and modelId)',
    model,
  );
  checkArgument(
    typeof params === 'object' && params !== null,
    'modelCallKey: params',
    'the call options object',
    params,
  );
  const { abortSignal: _signal, headers: _headers, ...rest } = params;
  return sha256Hex(stableStringify({ provider: model.provider, model: model.modelId, params: rest }));
}

type CachedGenerate = Pick<
  LanguageModelV3GenerateResult,
  'content' | 'finishReason' | 'usage' | 'warnings'
> & {
  readonly providerMetadata?: LanguageModelV3GenerateResult['providerMetadata'];
  readonly response?: { readonly id?: string; readonly modelId?: string; readonly timestamp?: Date };
};

/** A store outage costs a model call, never the answer; anything else (a bad option) is thrown. */
export function unlessStoreDown<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (StoreError.isInstance(error)) return fallback;
    throw error;
  };
}

/** The cache options with their defaults, refusing a missing cache with a message that says what to pass. */
export function resolveCacheOptions(
  caller: string,
  options: Pick<AiSdkCacheOptions, 'cache' | 'kind' | 'ttlMs'>,
  defaults: { kind: string; ttlMs: number },
): { kind: string; ttlMs: number } {
  if (typeof options?.cache?.getOrSet !== 'function') {
    throw new ValidationError({
      message: `${caller} needs { cache }: a cache from createCache() in @neptune/cache.`,
    });
  }
  return { kind: options.kind ?? defaults.kind, ttlMs: options.ttlMs ?? defaults.ttlMs };
}

/**
 * A Vercel AI SDK middleware that answers a repeated model call from a Neptune cache, generate and stream
 * alike: `wrapLanguageModel({ model, middleware: cacheMiddleware({ cache, scope }) })`. The key is the
 * SHA-256 of the provider, model and every parameter that shapes the answer; a stream is stored once it
 * finished cleanly and replayed part by part. For generate calls the cache's stampede protection means
 * concurrent identical calls reach the model once (concurrent identical streams each stream from the
 * model); a cache outage, or an answer the cache cannot store, costs model calls, never the answer.
 */
export function cacheMiddleware(options: AiSdkCacheOptions): LanguageModelV3Middleware {
  const { kind, ttlMs } = resolveCacheOptions('cacheMiddleware', options, {
    kind: 'ai-sdk',
    ttlMs: 60 * 60 * 1000,
  });
  const { cache, scope } = options;
  const cacheable = (params: LanguageModelV3CallOptions) => options.shouldCache?.(params) ?? true;
  return {
    specificationVersion: 'v3',
    async wrapGenerate({ doGenerate, params, model }) {
      if (!cacheable(params)) return doGenerate();
      const id = await modelCallKey(model, params);
      let produced: CachedGenerate | undefined;
      const load = async (): Promise<CachedGenerate> => {
        const result = await doGenerate();
        produced = {
          content: result.content,
          finishReason: result.finishReason,
          usage: result.usage,
          warnings: result.warnings,
          ...(result.providerMetadata === undefined ? {} : { providerMetadata: result.providerMetadata }),
          ...(result.response === undefined
            ? {}
            : {
                response: {
                  id: result.response.id,
                  modelId: result.response.modelId,
                  timestamp: result.response.timestamp,
                },
              }),
        };
        return produced;
      };
      try {
        return (await cache.getOrSet(scope, { kind, id: `generate:${id}` }, load, {
          ttlMs,
        })) as LanguageModelV3GenerateResult;
      } catch (error) {
        // The answer is paid for: a cache that could not keep it (a value it cannot store) must not lose it.
        if (produced !== undefined) return produced as LanguageModelV3GenerateResult;
        throw error;
      }
    },
    async wrapStream({ doStream, params, model }) {
      if (!cacheable(params)) return doStream();
      const key = { kind, id: `stream:${await modelCallKey(model, params)}` };
      const cached = await cache
        .get<LanguageModelV3StreamPart[]>(scope, key, { ttlMs })
        .catch(unlessStoreDown(undefined));
      if (cached !== undefined) return { stream: replay(cached) };
      const result = await doStream();
      const parts: LanguageModelV3StreamPart[] = [];
      let clean = true;
      const recorder = new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        transform(part, controller) {
          if (part.type === 'error') clean = false;
          else if (part.type !== 'raw') parts.push(part);
          controller.enqueue(part);
        },
        async flush() {
          if (clean && parts.some((part) => part.type === 'finish')) {
            // Never fail a stream the caller already received in full because the cache could not keep it.
            await cache.set(scope, key, parts, { ttlMs }).catch(() => undefined);
          }
        },
      });
      return { ...result, stream: result.stream.pipeThrough(recorder) };
    },
  };
}

function replay(parts: readonly LanguageModelV3StreamPart[]): ReadableStream<LanguageModelV3StreamPart> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const part = parts[index++];
      if (part === undefined) controller.close();
      else controller.enqueue(part);
    },
  });
}
