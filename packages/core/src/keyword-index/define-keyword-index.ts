import type { KeywordDriver, KeywordIndex } from '../contracts/keyword-index';
import {
  keywordDocumentsSchema,
  keywordQuerySchema,
  recordIdsSchema,
} from '../contracts/keyword-input-schemas';
import { checkDriverShape, driverCalls, lastPerId } from '../driver-checks';
import { type Scope, scopeKeys } from '../scope';
import { parseInput } from '../validation';

const REQUIRED_METHODS = ['add', 'remove', 'search', 'clear'] as const;

/** A driver is checked when the index is defined, so a wrong one fails there rather than on first use. */
function checkDriver(driver: unknown): asserts driver is KeywordDriver {
  checkDriverShape(driver, {
    definedBy: 'defineKeywordIndex',
    contract: 'KeywordDriver { name, add, remove, search, clear }',
    requiredMethods: REQUIRED_METHODS,
    optionalMethods: ['close'],
  });
}

/**
 * Builds the scoped, validated `KeywordIndex` from a driver: the scope is checked once (`scopeKeys`),
 * every argument with the contract's schemas before the driver runs (a refused call writes nothing), an
 * empty `add` never reaches the driver, `add` and `remove` get distinct ids (the last document of an id
 * repeated in one `add` wins), and an error the driver throws that
 * is not already a Neptune error becomes a `StoreError` naming the operation.
 */
export function defineKeywordIndex(driver: KeywordDriver): KeywordIndex {
  checkDriver(driver);
  const label = driver.label ?? driver.name;

  const call = driverCalls(driver.name, (operation, reason) => `${label}.${operation} failed: ${reason}`);

  const index: KeywordIndex = {
    name: driver.name,

    async add(scope: Scope, documents) {
      const keys = scopeKeys(scope);
      const parsed = parseInput(keywordDocumentsSchema, documents, `documents passed to ${label}.add`);
      if (parsed.length === 0) return;
      await call('add', () => driver.add(keys, lastPerId(parsed)));
    },

    async remove(scope: Scope, ids) {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, `ids passed to ${label}.remove`);
      return call('remove', () => driver.remove(keys, [...new Set(parsed)]));
    },

    async search(scope: Scope, query) {
      const keys = scopeKeys(scope);
      const {
        query: text,
        topK,
        filter,
      } = parseInput(keywordQuerySchema, query, `query passed to ${label}.search`);
      return call('search', () => driver.search(keys, { query: text, topK, filter }));
    },

    async clear(scope: Scope) {
      const keys = scopeKeys(scope);
      return call('clear', () => driver.clear(keys));
    },
  };
  const close = driver.close?.bind(driver);
  return close === undefined ? index : { ...index, close: () => call('close', close) };
}
