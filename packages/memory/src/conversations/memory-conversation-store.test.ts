import { describeConversationStoreConformance } from '../testing/conversation-store-conformance';
import { memoryConversationStore } from './memory-conversation-store';

describeConversationStoreConformance({
  name: 'memory',
  create: () => memoryConversationStore(),
  destroy: (store) => store.close?.(),
});
