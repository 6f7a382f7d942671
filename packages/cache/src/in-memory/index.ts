// The in-memory KeyValueStore is the reference store of a core contract, so it lives in @neptune/core;
// @neptune/cache/memory keeps exporting it under the same names.
export { type MemoryKeyValueStoreOptions, memoryKeyValueStore } from '@neptune/core';
