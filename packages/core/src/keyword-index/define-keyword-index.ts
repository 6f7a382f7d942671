import type { KeywordDriver, KeywordIndex } from '../contracts/keyword-index';
import {
  keywordDocumentsSchema,
  keywordQuerySchema,
  recordIdsSchema,
} from '../contracts/keyword-input-schemas';
import { ConfigurationError, describeValue, NeptuneError, StoreError } from '../errors';
import { type Scope, scopeKeys } from '../scope';
import { parseInput } from '../validation';

const REQUIRED_METHODS = ['add', 'remove', 'search', 'clear'] as const;

/** A driver is checked when the index is defined, so a wrong one fails there rather than on first use. */
function checkDriver(driver: unknown): asserts driver is KeywordDriver {
  const candidate = driver as Record<string, unknown> | null;
  const problems =
    typeof candidate !== 'object' || candidate === null
      ? ['it is not an object']
      : [
          ...(typeof candidate.name === 'string' && candidate.name !== ''
            ? []
            : ['name must be a non-empty string']),
          ...REQUIRED_METHODS.filter((method) => typeof candidate[method] !== 'function').map(
            (method) => `${method} must be a function`,
          ),
          ...(candidate.close !== undefined && typeof candidate.close !== 'function'
            ? ['close, when given, must be a function']
            : []),
        ];
  if (problems.length === 0) return;
  throw new ConfigurationError({
    message: `defineKeywordIndex(driver) needs a KeywordDriver { name, add, remove, search, clear }: ${problems.join('; ')} (received ${describeValue(driver)}). See docs/write-your-own-adapter.md.`,
    details: { what: 'driver' },
  });
}

/**
 * Builds the scoped, validated `KeywordIndex` from a driver: the scope is checked once (`scopeKeys`),
 * every argument with the contract's schemas before the driver runs (a refused call writes nothing), an
 * empty `add` never reaches the driver, `remove` gets distinct ids, and an error the driver throws that
 * is not already a Neptune error becomes a `StoreError` naming the operation.
 */
export function defineKeywordIndex(driver: KeywordDriver): KeywordIndex {
  checkDriver(driver);
  const label = driver.label ?? driver.name;

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (NeptuneError.isInstance(error)) throw error;
      throw new StoreError({
        message: `${label}.${operation} failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
        details: { store: driver.name, operation },
      });
    }
  }

  const index: KeywordIndex = {
    name: driver.name,

    async add(scope: Scope, documents) {
      const keys = scopeKeys(scope);
      const parsed = parseInput(keywordDocumentsSchema, documents, `documents passed to ${label}.add`);
      if (parsed.length === 0) return;
      await call('add', () => driver.add(keys, parsed));
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
