export {
  type UpstashHybridVectorStore,
  type UpstashVectorStore,
  type UpstashVectorStoreOptions,
  upstashVectorStore,
} from './upstash-vector-store';
