import { recordIdsSchema } from '../contracts/keyword-input-schemas';
import type { MetadataFilter } from '../contracts/metadata';
import { metadataFilterSchema } from '../contracts/metadata';
import { vectorQuerySchema, vectorRecordsSchema } from '../contracts/vector-input-schemas';
import type { VectorDriver, VectorStore } from '../contracts/vector-store';
import { checkDriverShape, driverCalls, lastPerId } from '../driver-checks';
import { DimensionMismatchError } from '../errors';
import { type Scope, scopeKeys } from '../scope';
import { parseInput } from '../validation';

const REQUIRED_METHODS = ['upsert', 'delete', 'deleteWhere', 'query', 'get', 'clear', 'count'] as const;

/** A driver is checked when the store is defined, so a wrong one fails there rather than on first use. */
function checkDriver(driver: unknown): asserts driver is VectorDriver {
  checkDriverShape(driver, {
    definedBy: 'defineVectorStore',
    contract:
      'VectorDriver { name, dimensions, capabilities, upsert, delete, deleteWhere, query, get, clear, count }',
    requiredMethods: REQUIRED_METHODS,
    optionalMethods: ['close'],
    capabilities: true,
    problemsWith: (candidate) =>
      Number.isInteger(candidate.dimensions) && (candidate.dimensions as number) > 0
        ? []
        : ['dimensions must be a positive whole number'],
  });
}

/**
 * Builds the scoped, validated `VectorStore` from a driver: the scope is checked once (`scopeKeys`), every
 * argument is checked with the contract's schemas and every vector's length against `dimensions` before
 * the driver runs (a refused call writes nothing), `upsert` hands the driver distinct ids (the last record
 * of an id repeated in one call wins), and an error the driver throws that is not already a
 * Neptune error becomes a `StoreError` naming the operation. The driver keeps only what differs between
 * stores: where a scope's records live and how they are searched.
 */
export function defineVectorStore(driver: VectorDriver): VectorStore {
  checkDriver(driver);
  const { dimensions } = driver;
  const label = driver.label ?? driver.name;
  const advice =
    driver.dimensionAdvice ??
    ((received: number) =>
      `Embed with the model the store was created for, or create the store with { dimensions: ${received} }.`);

  function checkDimensions(length: number, what: string): void {
    if (length === dimensions) return;
    throw new DimensionMismatchError({
      message: `${label} was created for ${dimensions} dimensions, but ${what} has ${length}. ${advice(length)}`,
      details: { expected: dimensions, received: length },
    });
  }

  const call = driverCalls(driver.name, (operation, reason) => `${label}.${operation} failed: ${reason}`);

  const store: VectorStore = {
    name: driver.name,
    dimensions,
    capabilities: driver.capabilities,

    async upsert(scope: Scope, records) {
      const keys = scopeKeys(scope);
      const parsed = parseInput(vectorRecordsSchema, records, `records passed to ${label}.upsert`);
      for (const record of parsed)
        checkDimensions(record.vector.length, `the vector of record "${record.id}"`);
      if (parsed.length === 0) return;
      const checked = lastPerId(parsed).map(({ id, vector, text, keywordText, metadata }) => ({
        id,
        vector,
        text,
        keywordText,
        metadata,
      }));
      await call('upsert', () => driver.upsert(keys, checked));
    },

    async delete(scope: Scope, ids) {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, `ids passed to ${label}.delete`);
      return call('delete', () => driver.delete(keys, [...new Set(parsed)]));
    },

    async deleteWhere(scope: Scope, filter: MetadataFilter) {
      const keys = scopeKeys(scope);
      const parsed = parseInput(metadataFilterSchema, filter, `filter passed to ${label}.deleteWhere`);
      return call('deleteWhere', () => driver.deleteWhere(keys, parsed));
    },

    async query(scope: Scope, query) {
      const keys = scopeKeys(scope);
      const { vector, topK, filter, minScore } = parseInput(
        vectorQuerySchema,
        query,
        `query passed to ${label}.query`,
      );
      checkDimensions(vector.length, 'the query vector');
      return call('query', () => driver.query(keys, { vector, topK, filter, minScore }));
    },

    async get(scope: Scope, ids) {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, `ids passed to ${label}.get`);
      return call('get', () => driver.get(keys, parsed));
    },

    async clear(scope: Scope) {
      const keys = scopeKeys(scope);
      return call('clear', () => driver.clear(keys));
    },

    async count(scope: Scope) {
      const keys = scopeKeys(scope);
      return call('count', () => driver.count(keys));
    },
  };
  const close = driver.close?.bind(driver);
  return close === undefined ? store : { ...store, close: () => call('close', close) };
}
