import { FusionAlgorithm, Index, WeightingStrategy } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashVectorServer, type UpstashVectorServer } from './upstash-vector-server';

/**
 * The stand-in must answer as Upstash documents, or the store's tests prove nothing: these check the
 * envelope, errors and the behaviour of each command through the real client (and raw HTTP where the
 * client hides the shape).
 */
let server: UpstashVectorServer;
let index: Index;
beforeAll(async () => {
  server = await startUpstashVectorServer({ dimension: 2, hybrid: true });
  index = new Index({ url: server.url, token: server.token, enableTelemetry: false, retry: false });
});
afterAll(() => server.close());

const post = (path: string, body: unknown, token = server.token) =>
  fetch(`${server.url}/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: await response.json() }));

describe('Upstash Vector test server', () => {
  it('wraps results in { result } and errors in { error, status } with the HTTP status', async () => {
    expect(
      await post('upsert/ns', { id: 'a', vector: [1, 0], sparseVector: { indices: [1], values: [1] } }),
    ).toEqual({
      status: 200,
      body: { result: 'Success' },
    });
    expect(
      await post('upsert/ns', { id: 'a', vector: [1, 0, 0], sparseVector: { indices: [1], values: [1] } }),
    ).toEqual({
      status: 422,
      body: { error: 'Invalid vector dimension: 3, expected: 2', status: 422 },
    });
    expect((await post('info', undefined, 'wrong')).status).toBe(401);
    await expect(new Index({ url: server.url, token: 'wrong', retry: false }).info()).rejects.toThrow(
      /Unauthorized/,
    );
  });

  it('refuses hybrid records without both parts, and sparse vectors over 1,000 dimensions', async () => {
    await expect(index.upsert({ id: 'x', vector: [1, 0] })).rejects.toThrow(
      /Both dense vector and sparse vector/,
    );
    const indices = Array.from({ length: 1001 }, (_, position) => position);
    await expect(
      index.upsert({ id: 'x', vector: [1, 0], sparseVector: { indices, values: indices.map(() => 1) } }),
    ).rejects.toThrow(/at most 1000/);
    await expect(index.upsert({ id: 'x', data: 'text' })).rejects.toThrow(/embedding model/);
  });

  it('scores dense queries as (1 + cosine) / 2 and sparse ones with the documented IDF', async () => {
    const space = index.namespace('scores');
    await space.upsert([
      { id: 'same', vector: [1, 0], sparseVector: { indices: [1, 2], values: [1, 1] } },
      { id: 'opposite', vector: [-1, 0], sparseVector: { indices: [2], values: [2] } },
      { id: 'other', vector: [0, 1], sparseVector: { indices: [3], values: [1] } },
    ]);
    const dense = await space.query({ vector: [2, 0], topK: 3 });
    expect(dense.map(({ id, score }) => [id, score])).toEqual([
      ['same', 1],
      ['other', 0.5],
      ['opposite', 0],
    ]);
    const sparse = await space.query({ sparseVector: { indices: [1], values: [1] }, topK: 3 });
    expect(sparse).toEqual([{ id: 'same', score: 1 }]);
    const weighted = await space.query({
      sparseVector: { indices: [1], values: [1] },
      topK: 3,
      weightingStrategy: WeightingStrategy.IDF,
    });
    expect(weighted[0]!.score).toBeCloseTo(Math.log((3 - 1 + 0.5) / (1 + 0.5)), 10);
  });

  it('fuses dense and sparse results with RRF (and DBSF when asked)', async () => {
    const space = index.namespace('fusion');
    await space.upsert([
      { id: 'dense-only', vector: [1, 0], sparseVector: { indices: [9], values: [1] } },
      { id: 'both', vector: [0.9, 0.1], sparseVector: { indices: [1], values: [5] } },
      { id: 'filler', vector: [0.5, 0.5], sparseVector: { indices: [7], values: [1] } },
      { id: 'sparse-only', vector: [0, 1], sparseVector: { indices: [1], values: [1] } },
    ]);
    const query = { vector: [1, 0], sparseVector: { indices: [1], values: [1] }, topK: 3 };
    // Dense top 3: dense-only, both, filler. Sparse: both, sparse-only. RRF adds 1 / (rank + 60).
    const rrf = await space.query({ ...query, fusionAlgorithm: FusionAlgorithm.RRF });
    expect(rrf.map((result) => result.id)).toEqual(['both', 'dense-only', 'sparse-only']);
    expect(rrf[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 10);
    const dbsf = await space.query({ ...query, fusionAlgorithm: FusionAlgorithm.DBSF });
    expect(dbsf[0]!.id).toBe('both');
  });

  it('applies filters before ranking, and refuses syntax it does not parse', async () => {
    const space = index.namespace('filters');
    await space.upsert([
      {
        id: 'a',
        vector: [1, 0],
        sparseVector: { indices: [1], values: [1] },
        metadata: { m: { n: 1, tags: ['x'] } },
      },
      { id: 'b', vector: [0.9, 0.1], sparseVector: { indices: [1], values: [1] }, metadata: { m: { n: 2 } } },
    ]);
    const filtered = await space.query({
      vector: [1, 0],
      topK: 1,
      filter: 'm.n >= 2 OR m.tags CONTAINS "y"',
    });
    expect(filtered.map((result) => result.id)).toEqual(['b']);
    await expect(space.query({ vector: [1, 0], topK: 1, filter: "m.name GLOB 'a*'" })).rejects.toThrow(
      /Invalid filter/,
    );
  });

  it('lists, counts, resets and deletes namespaces; queryMany answers one query with a flat list', async () => {
    await index
      .namespace('gone')
      .upsert({ id: 'a', vector: [1, 0], sparseVector: { indices: [1], values: [1] } });
    expect(await index.listNamespaces()).toEqual(expect.arrayContaining(['', 'gone']));
    expect((await index.info()).namespaces.gone).toEqual({ vectorCount: 1, pendingVectorCount: 0 });
    expect(await index.queryMany([{ vector: [1, 0], topK: 1 }], { namespace: 'gone' })).toEqual([
      [{ id: 'a', score: 1 }],
    ]);
    await index.deleteNamespace('gone');
    expect(await index.listNamespaces()).not.toContain('gone');
    await expect(index.deleteNamespace('gone')).rejects.toThrow(/does not exist/);
    await expect(index.deleteNamespace('')).rejects.toThrow(/default namespace/);
    await index
      .namespace('other')
      .upsert({ id: 'b', vector: [1, 0], sparseVector: { indices: [1], values: [1] } });
    await index.reset({ all: true });
    expect((await index.info()).vectorCount).toBe(0);
  });

  it('pages with range until the cursor is empty, and fetches in the order asked with nulls', async () => {
    const space = index.namespace('pages');
    await space.upsert(
      ['c', 'a', 'b'].map((id) => ({
        id,
        vector: [1, 0],
        sparseVector: { indices: [1], values: [1] },
        data: id,
      })),
    );
    const first = await space.range({ cursor: '0', limit: 2, includeData: true });
    expect(first).toEqual({
      nextCursor: '2',
      vectors: [
        { id: 'a', data: 'a' },
        { id: 'b', data: 'b' },
      ],
    });
    expect(await space.range({ cursor: first.nextCursor, limit: 2 })).toEqual({
      nextCursor: '',
      vectors: [{ id: 'c' }],
    });
    expect(await space.fetch(['b', 'missing'], { includeData: true })).toEqual([
      { id: 'b', data: 'b' },
      null,
    ]);
    expect(await space.delete(['a', 'a', 'missing'])).toEqual({ deleted: 1 });
  });
});
