import { describe, expect, it } from 'vitest';
import type { CheckedVectorRecord, VectorDriver } from '../contracts/vector-store';
import { ConfigurationError, DimensionMismatchError, StoreError, ValidationError } from '../errors';
import { defineVectorStore } from './define-vector-store';

/** A driver that records what it was handed, and fails with a plain Error when told to. */
function recordingDriver(failWith?: Error) {
  const upserts: CheckedVectorRecord[][] = [];
  const driver: VectorDriver = {
    name: 'recording',
    label: 'recordingStore',
    dimensions: 2,
    capabilities: { exact: true, keyword: false },
    async upsert(_keys, records) {
      if (failWith) throw failWith;
      upserts.push([...records]);
    },
    delete: async (_keys, ids) => ids.length,
    deleteWhere: async () => 0,
    query: async () => [],
    get: async () => [],
    clear: async () => 0,
    count: async (keys) => keys.filter.workspaceId.length,
  };
  return { driver, upserts };
}

const acme = { workspaceId: 'acme' };

describe('defineVectorStore', () => {
  it('refuses a driver that is not one, naming what is missing', () => {
    expect(() => defineVectorStore({ name: 'x' } as never)).toThrow(ConfigurationError);
    expect(() => defineVectorStore({ name: 'x' } as never)).toThrow(
      /dimensions must be a positive whole number/,
    );
  });

  it('checks input before the driver runs, and hands it distinct ids and checked records', async () => {
    const { driver, upserts } = recordingDriver();
    const store = defineVectorStore(driver);
    await expect(store.upsert(acme, [{ id: 'a', vector: [1, 2, 3] }])).rejects.toThrow(
      DimensionMismatchError,
    );
    await expect(store.upsert(acme, [{ id: ' ', vector: [1, 2] }])).rejects.toThrow(ValidationError);
    await expect(store.query({ workspaceId: '' }, { vector: [1, 2], topK: 1 })).rejects.toThrow();
    await store.upsert(acme, []);
    expect(upserts).toEqual([]);
    await store.upsert(acme, [{ id: 'a', vector: [1, 2], text: 't' }]);
    expect(upserts).toEqual([
      [{ id: 'a', vector: [1, 2], text: 't', keywordText: undefined, metadata: undefined }],
    ]);
    expect(await store.delete(acme, ['a', 'a', 'b'])).toBe(2);
    expect(await store.count(acme)).toBe(4);
  });

  it('hands the driver one record per id, the last of a repeated id, in first-seen order', async () => {
    const { driver, upserts } = recordingDriver();
    const store = defineVectorStore(driver);
    await store.upsert(acme, [
      { id: 'a', vector: [1, 0], text: 'first' },
      { id: 'b', vector: [0, 1] },
      { id: 'a', vector: [1, 1], text: 'second' },
    ]);
    expect(upserts).toHaveLength(1);
    expect(upserts[0]!.map(({ id, text }) => [id, text])).toEqual([
      ['a', 'second'],
      ['b', undefined],
    ]);
  });

  it("wraps a driver's plain error in a StoreError naming the operation, once", async () => {
    const store = defineVectorStore(recordingDriver(new Error('disk full')).driver);
    const error = await store.upsert(acme, [{ id: 'a', vector: [1, 2] }]).catch((caught) => caught);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('recordingStore.upsert failed: disk full');
  });
});
