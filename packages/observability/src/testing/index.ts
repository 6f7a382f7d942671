/**
 * The conformance suite for your own `MetricsStore` (on DynamoDB, Postgres, Upstash REST, ...): the
 * behaviour the in-memory and Redis stores pass, tenant isolation included. Needs vitest.
 */
export {
  BASE_TIME_MS,
  describeMetricsStoreContract,
  type MetricsStoreCapabilities,
  type MetricsStoreContractOptions,
} from './describe-metrics-store-contract';
