import { describe, expect, it } from 'vitest';
import type { KeywordDocument, KeywordDriver } from '../contracts/keyword-index';
import { ConfigurationError, StoreError, ValidationError } from '../errors';
import { defineKeywordIndex } from './define-keyword-index';

/** A driver that records what it was handed, and fails with a plain Error when told to. */
function recordingDriver(failWith?: Error) {
  const added: KeywordDocument[][] = [];
  const driver: KeywordDriver = {
    name: 'recording',
    label: 'recordingIndex',
    async add(_keys, documents) {
      if (failWith) throw failWith;
      added.push([...documents]);
    },
    remove: async (_keys, ids) => ids.length,
    search: async (keys, query) => [
      { id: `${keys.keyPrefix}${query.query}`, score: query.topK, text: undefined, metadata: {} },
    ],
    clear: async () => 0,
  };
  return { driver, added };
}

const acme = { workspaceId: 'acme' };

describe('defineKeywordIndex', () => {
  it('refuses a driver that is not one, naming what is missing', () => {
    expect(() => defineKeywordIndex({ name: 'x' } as never)).toThrow(ConfigurationError);
    expect(() => defineKeywordIndex({ name: 'x' } as never)).toThrow(/search must be a function/);
  });

  it('checks input before the driver runs, and hands it the scope keys, distinct ids and checked input', async () => {
    const { driver, added } = recordingDriver();
    const index = defineKeywordIndex(driver);
    await expect(index.add(acme, [{ id: '', text: 'x' }])).rejects.toThrow(ValidationError);
    await expect(index.search(acme, { query: 'x', topK: 0 })).rejects.toThrow(/topK must be at least 1/);
    await index.add(acme, []);
    expect(added).toEqual([]);
    await index.add(acme, [{ id: 'a', text: 'hello' }]);
    expect(added).toEqual([[{ id: 'a', text: 'hello' }]]);
    expect(await index.remove(acme, ['a', 'a', 'b'])).toBe(2);
    expect(await index.search(acme, { query: 'q', topK: 3 })).toEqual([
      { id: 'ws:acme:shared:q', score: 3, text: undefined, metadata: {} },
    ]);
  });

  it('hands the driver one document per id, the last of a repeated id, in first-seen order', async () => {
    const { driver, added } = recordingDriver();
    const index = defineKeywordIndex(driver);
    await index.add(acme, [
      { id: 'a', text: 'first' },
      { id: 'b', text: 'other' },
      { id: 'a', text: 'second' },
    ]);
    expect(added).toEqual([
      [
        { id: 'a', text: 'second' },
        { id: 'b', text: 'other' },
      ],
    ]);
  });

  it("wraps a driver's plain error in a StoreError naming the operation", async () => {
    const index = defineKeywordIndex(recordingDriver(new Error('disk full')).driver);
    const error = await index.add(acme, [{ id: 'a', text: 'x' }]).catch((caught) => caught);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('recordingIndex.add failed: disk full');
  });
});
