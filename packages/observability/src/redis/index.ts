export {
  type RedisMetricsStore,
  type RedisMetricsStoreOptions,
  redisMetricsStore,
} from './redis-metrics-store';
