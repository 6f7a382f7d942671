import { anyScopeKeys, userScopeKeys } from '../scope-guards';
import { parseConsentSettings } from './consent-inputs';
import type { ConsentRecord, ConsentStore } from './consent-store';

/** The reference `ConsentStore` and the embedded default: one process's memory. */
export function memoryConsentStore(): ConsentStore {
  /** User key prefix (`ws:{workspace}:user:{user}:`) to that user's record. */
  const records = new Map<string, ConsentRecord>();
  return {
    name: 'memory',
    async get(scope) {
      return records.get(userScopeKeys(scope, 'consent get').keyPrefix);
    },
    async set(scope, settings) {
      const keys = userScopeKeys(scope, 'consent set');
      const checked = parseConsentSettings(settings);
      const record: ConsentRecord = {
        extraction: checked.extraction,
        learning: checked.learning,
        updatedAt: new Date(),
      };
      records.set(keys.keyPrefix, record);
      return record;
    },
    async deleteScope(scope) {
      const keys = anyScopeKeys(scope);
      const prefix = keys.filter.userId === null ? keys.workspacePrefix : keys.keyPrefix;
      let removed = 0;
      for (const userPrefix of [...records.keys()]) {
        if (userPrefix.startsWith(prefix) && records.delete(userPrefix)) removed++;
      }
      return removed;
    },
    async close() {
      records.clear();
    },
  };
}
