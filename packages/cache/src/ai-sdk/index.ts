/**
 * Neptune's cache around Vercel AI SDK model calls: `cacheMiddleware` for `wrapLanguageModel` (generate
 * and stream) and `cachedEmbeddingModel` for `embed`/`embedMany`. Needs `@ai-sdk/provider` (installed
 * with `ai`).
 */
export { type AiSdkCacheOptions, cacheMiddleware, modelCallKey } from './cache-middleware';
export { type CachedEmbeddingModelOptions, cachedEmbeddingModel } from './cached-embedding-model';
