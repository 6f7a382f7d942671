export {
  type MemoryKeywordIndex,
  type MemoryKeywordIndexOptions,
  memoryKeywordIndex,
} from './memory-keyword-index';
export { type MemoryVectorStoreOptions, memoryVectorStore } from './memory-vector-store';
