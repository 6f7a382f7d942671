export { type MemoryKeyValueStoreOptions, memoryKeyValueStore } from '@neptune/core';
export type { CacheBus, CacheBusMessage } from './cache-bus';
export type { CacheAddress, CacheKey } from './cache-key';
export { BUILT_IN_CACHE_KINDS, type BuiltInCacheKind, type CacheKindPolicy } from './cache-kinds';
export type { CacheKindStats, CacheStats } from './cache-reporter';
export type { CircuitState } from './circuit-breaker';
export { type Cache, type CacheCallOptions, type CreateCacheOptions, createCache } from './create-cache';
export type { CacheLoader, LoaderContext } from './read-through';
export { createValueCodec, type ValueCodec, type ValueCodecOptions } from './value-codec';
