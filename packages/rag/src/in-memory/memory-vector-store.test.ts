import { ConfigurationError, DimensionMismatchError } from '@neptune/core';
import { describeVectorStoreConformance } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { memoryVectorStore } from './memory-vector-store';

describeVectorStoreConformance({
  name: 'memory',
  create: () => memoryVectorStore({ dimensions: 8 }),
  capabilities: { exact: true, keyword: false },
});

describe('memoryVectorStore', () => {
  const scope = { workspaceId: 'acme' };

  it('refuses a missing or invalid dimensions option with a ConfigurationError', () => {
    expect(() => memoryVectorStore({} as never)).toThrow(ConfigurationError);
    expect(() => memoryVectorStore({ dimensions: 0 })).toThrow(/dimensions/);
    expect(() => memoryVectorStore({ dimensions: 2.5 })).toThrow(/whole number/);
  });

  it('names both lengths in a dimension mismatch', async () => {
    const store = memoryVectorStore({ dimensions: 3 });
    const error = await store.upsert(scope, [{ id: 'a', vector: [1, 2] }]).catch((caught: unknown) => caught);
    expect(DimensionMismatchError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/created for 3 dimensions.*has 2/);
  });

  it('grows past its initial capacity and keeps rows dense through deletes', async () => {
    const store = memoryVectorStore({ dimensions: 2 });
    const records = Array.from({ length: 100 }, (_, index) => ({
      id: `r${index}`,
      vector: [Math.cos(index / 20), Math.sin(index / 20)],
    }));
    await store.upsert(scope, records);
    expect(
      await store.delete(
        scope,
        records.filter((_, index) => index % 3 === 0).map((record) => record.id),
      ),
    ).toBe(34);
    expect(await store.count(scope)).toBe(66);
    const [best] = await store.query(scope, { vector: [Math.cos(50 / 20), Math.sin(50 / 20)], topK: 1 });
    expect(best?.id).toBe('r50');
    expect(best?.score).toBeCloseTo(1, 6);
    for (const record of records.filter((_, index) => index % 3 !== 0)) {
      const [stored] = await store.get(scope, [record.id]);
      expect(Array.from(stored!.vector)).toEqual(record.vector.map((value) => expect.closeTo(value, 6)));
    }
  });

  it('returns vectors as written, not their unit-length copies, and copies that cannot change the store', async () => {
    const store = memoryVectorStore({ dimensions: 2 });
    await store.upsert(scope, [{ id: 'a', vector: new Float32Array([3, 4]) }]);
    const [record] = await store.get(scope, ['a']);
    expect(Array.from(record!.vector)).toEqual([3, 4]);
    (record!.vector as Float32Array)[0] = 100;
    const [again] = await store.get(scope, ['a']);
    expect(Array.from(again!.vector)).toEqual([3, 4]);
  });

  it('gives a zero vector a score of 0 rather than NaN', async () => {
    const store = memoryVectorStore({ dimensions: 2 });
    await store.upsert(scope, [{ id: 'zero', vector: [0, 0] }]);
    const [match] = await store.query(scope, { vector: [1, 0], topK: 1 });
    expect(match?.score).toBe(0);
  });

  it('orders equal scores by id', async () => {
    const store = memoryVectorStore({ dimensions: 2 });
    await store.upsert(
      scope,
      ['c', 'a', 'b'].map((id) => ({ id, vector: [1, 1] })),
    );
    expect((await store.query(scope, { vector: [1, 1], topK: 3 })).map((match) => match.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('hands out frozen metadata, so a caller cannot change what filters see', async () => {
    const store = memoryVectorStore({ dimensions: 2 });
    await store.upsert(scope, [{ id: 'a', vector: [1, 0], metadata: { tags: ['x'] } }]);
    const [match] = await store.query(scope, { vector: [1, 0], topK: 1 });
    expect(() => {
      (match!.metadata.tags as string[]).push('y');
    }).toThrow(TypeError);
    expect(
      await store.query(scope, { vector: [1, 0], topK: 1, filter: { tags: { $contains: 'y' } } }),
    ).toEqual([]);
  });
});
