import { ConfigurationError } from '@neptune/core';
import { describeVectorStoreConformance } from '@neptune/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIvfVectorStore } from './memory-ivf-vector-store';
import { memoryVectorStore } from './memory-vector-store';
import { seededRandom } from './spherical-k-means';

describeVectorStoreConformance({
  name: 'memory-ivf',
  create: () => memoryIvfVectorStore({ dimensions: 8 }),
  capabilities: { exact: false, keyword: false },
});

const DIMENSIONS = 32;
const ROWS = 5_000;

/** Unit vectors around 200 random centres, as embeddings of related texts cluster. */
function clusteredVectors(count: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: 200 }, () => Array.from({ length: DIMENSIONS }, gaussian));
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(random() * centres.length)]!;
    return Float32Array.from(centre, (value) => value + 0.4 * gaussian());
  });
}

describe('memoryIvfVectorStore', () => {
  const scope = { workspaceId: 'acme' };
  // Queries come from the same clusters as the rows, as questions come from the topics of the corpus.
  const generated = clusteredVectors(ROWS + 50, 1);
  const vectors = generated.slice(0, ROWS);
  const queries = generated.slice(ROWS);
  const records = vectors.map((vector, index) => ({
    id: `r${index}`,
    vector,
    metadata: { rare: index % 500 === 0 },
  }));
  let exactTop: string[][];

  beforeAll(async () => {
    const exact = memoryVectorStore({ dimensions: DIMENSIONS });
    await exact.upsert(scope, records);
    exactTop = await Promise.all(
      queries.map(async (vector) =>
        (await exact.query(scope, { vector, topK: 10 })).map((match) => match.id),
      ),
    );
  });

  const recallAgainstExact = async (store: ReturnType<typeof memoryIvfVectorStore>) => {
    let found = 0;
    for (const [index, vector] of queries.entries()) {
      const ids = new Set((await store.query(scope, { vector, topK: 10 })).map((match) => match.id));
      found += exactTop[index]!.filter((id) => ids.has(id)).length;
    }
    return found / (queries.length * 10);
  };

  it('is exact below minTrainRows', async () => {
    const store = memoryIvfVectorStore({ dimensions: DIMENSIONS });
    await store.upsert(scope, records);
    // 4,000,000 / 32 = 125,000 rows before training: 5,000 are scanned exactly.
    expect(await recallAgainstExact(store)).toBe(1);
  });

  it('finds at least 90% of the exact top 10 once trained, and all of it when every list is probed', async () => {
    const approximate = memoryIvfVectorStore({ dimensions: DIMENSIONS, minTrainRows: 1_000 });
    await approximate.upsert(scope, records);
    expect(await recallAgainstExact(approximate)).toBeGreaterThanOrEqual(0.9);
    const everyList = memoryIvfVectorStore({ dimensions: DIMENSIONS, minTrainRows: 1_000, probes: 10_000 });
    await everyList.upsert(scope, records);
    expect(await recallAgainstExact(everyList)).toBe(1);
  });

  it('keeps scanning past the probed lists until a filter has topK matches', async () => {
    const store = memoryIvfVectorStore({ dimensions: DIMENSIONS, minTrainRows: 1_000, probes: 1 });
    await store.upsert(scope, records);
    const matches = await store.query(scope, { vector: queries[0]!, topK: 10, filter: { rare: true } });
    expect(matches.map((match) => match.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, index) => `r${index * 500}`).sort(),
    );
  });

  it('stays consistent through deletes and replacements after training', async () => {
    const store = memoryIvfVectorStore({ dimensions: DIMENSIONS, minTrainRows: 1_000, probes: 10_000 });
    await store.upsert(scope, records);
    const removed = records.filter((_, index) => index % 2 === 0).map((record) => record.id);
    expect(await store.delete(scope, removed)).toBe(removed.length);
    await store.upsert(scope, [{ id: 'r1', vector: queries[0]! }]);
    expect(await store.count(scope)).toBe(ROWS / 2);
    const [best] = await store.query(scope, { vector: queries[0]!, topK: 1 });
    expect(best?.id).toBe('r1');
    const gone = new Set(removed);
    for (const vector of queries.slice(0, 10)) {
      for (const match of await store.query(scope, { vector, topK: 20 }))
        expect(gone.has(match.id)).toBe(false);
    }
    const [record] = await store.get(scope, ['r3']);
    expect(Array.from(record!.vector).map((value) => value.toFixed(4))).toEqual(
      Array.from(vectors[3]!).map((value) => value.toFixed(4)),
    );
  });

  it('refuses invalid options with a ConfigurationError', () => {
    expect(() => memoryIvfVectorStore({ dimensions: 0 })).toThrow(ConfigurationError);
    expect(() => memoryIvfVectorStore({ dimensions: 8, minTrainRows: 10 })).toThrow(/minTrainRows/);
    expect(() => memoryIvfVectorStore({ dimensions: 8, probes: 0 })).toThrow(/probes/);
  });
});
