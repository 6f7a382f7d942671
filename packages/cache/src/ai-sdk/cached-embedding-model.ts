import type { EmbeddingModelV3 } from '@ai-sdk/provider';
import { sha256Hex } from '@neptune/core';
import { type AiSdkCacheOptions, resolveCacheOptions, unlessStoreDown } from './cache-middleware';

/** What `cachedEmbeddingModel` takes: the cache options of the AI SDK middleware, less `shouldCache`. */
export interface CachedEmbeddingModelOptions extends Omit<AiSdkCacheOptions, 'shouldCache'> {}

/**
 * A Vercel AI SDK embedding model that asks the wrapped model only for the values it has not embedded
 * before: `embedMany({ model: cachedEmbeddingModel(openai.embedding('text-embedding-3-small'), { cache,
 * scope }), values })`. Each value's vector is cached under the model id and the value's SHA-256, for 7
 * days by default, the longest a cache entry lives (a model's vector for a text never changes). Results keep the input order.
 */
export function cachedEmbeddingModel(
  model: EmbeddingModelV3,
  options: CachedEmbeddingModelOptions,
): EmbeddingModelV3 {
  const { kind, ttlMs } = resolveCacheOptions('cachedEmbeddingModel', options, {
    kind: 'ai-sdk-embeddings',
    ttlMs: 7 * 24 * 60 * 60 * 1000,
  });
  const { cache, scope } = options;
  return {
    specificationVersion: 'v3',
    provider: model.provider,
    modelId: model.modelId,
    maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
    supportsParallelCalls: model.supportsParallelCalls,
    async doEmbed(call) {
      const ids = await Promise.all(
        call.values.map(async (value) => `${model.provider}:${model.modelId}:${await sha256Hex(value)}`),
      );
      const cached = await Promise.all(
        ids.map((id) =>
          cache.get<number[]>(scope, { kind, id }, { ttlMs }).catch(unlessStoreDown(undefined)),
        ),
      );
      const missing = cached.flatMap((vector, index) => (vector === undefined ? [index] : []));
      if (missing.length === 0)
        return { embeddings: cached as number[][], usage: { tokens: 0 }, warnings: [] };
      const fresh = await model.doEmbed({ ...call, values: missing.map((index) => call.values[index]!) });
      const embeddings = [...cached];
      await Promise.all(
        missing.map(async (index, position) => {
          const vector = fresh.embeddings[position]!;
          embeddings[index] = vector;
          await cache
            .set(scope, { kind, id: ids[index]! }, vector, { ttlMs })
            .catch(unlessStoreDown(undefined));
        }),
      );
      return { ...fresh, embeddings: embeddings as number[][] };
    },
  };
}
