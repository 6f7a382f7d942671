import { describeActionHistoryStoreConformance } from '../testing/action-history-store-conformance';
import { memoryActionHistoryStore } from './memory-action-history-store';

describeActionHistoryStoreConformance({
  name: 'memory',
  create: () => memoryActionHistoryStore(),
  destroy: (store) => store.close?.(),
});
