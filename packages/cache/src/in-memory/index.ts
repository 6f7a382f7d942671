export { type MemoryKeyValueStoreOptions, memoryKeyValueStore } from './memory-key-value-store';
