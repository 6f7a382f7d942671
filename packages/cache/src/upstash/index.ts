export {
  type UpstashKeyValueStore,
  type UpstashKeyValueStoreOptions,
  upstashKeyValueStore,
} from './upstash-key-value-store';
