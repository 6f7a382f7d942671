import { describeConsentStoreConformance } from '../testing/consent-store-conformance';
import { memoryConsentStore } from './memory-consent-store';

describeConsentStoreConformance({
  name: 'memory',
  create: () => memoryConsentStore(),
  destroy: (store) => store.close?.(),
});
