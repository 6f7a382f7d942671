export { type MemoryIvfVectorStoreOptions, memoryIvfVectorStore } from './memory-ivf-vector-store';
export {
  type MemoryKeywordIndex,
  type MemoryKeywordIndexOptions,
  memoryKeywordIndex,
} from './memory-keyword-index';
export { type MemoryVectorStoreOptions, memoryVectorStore } from './memory-vector-store';
