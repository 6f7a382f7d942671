export {
  type UpstashMetricsStore,
  type UpstashMetricsStoreOptions,
  upstashMetricsStore,
} from './upstash-metrics-store';
