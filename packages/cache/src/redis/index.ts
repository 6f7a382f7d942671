export { type RedisCacheBusOptions, redisCacheBus } from './redis-cache-bus';
export {
  type RedisKeyValueStore,
  type RedisKeyValueStoreOptions,
  redisKeyValueStore,
} from './redis-key-value-store';
