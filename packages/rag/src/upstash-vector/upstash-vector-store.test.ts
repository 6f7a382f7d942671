import {
  ConfigurationError,
  createTelemetryChannel,
  DimensionMismatchError,
  type Embedder,
  type NeptuneEvent,
  type Scope,
  ScopeError,
  StoreError,
  ValidationError,
} from '@neptune/core';
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedIds,
  FILTER_FIXTURE_FILTERS,
  FILTER_FIXTURE_RECORDS,
} from '../pgvector/testing/metadata-filter-fixture';
import {
  startUpstashVectorServer,
  type UpstashVectorServer,
} from '../testing/upstash-vector/upstash-vector-server';
import { upstashVectorStore } from './upstash-vector-store';

let dense: UpstashVectorServer;
let hybrid: UpstashVectorServer;
beforeAll(async () => {
  [dense, hybrid] = await Promise.all([
    startUpstashVectorServer({ dimension: 4 }),
    startUpstashVectorServer({ dimension: 4, hybrid: true }),
  ]);
});
afterAll(() => Promise.all([dense.close(), hybrid.close()]));

const denseStore = (
  options: { namespacePrefix?: string; telemetry?: ReturnType<typeof createTelemetryChannel> } = {},
) => upstashVectorStore({ index: { url: dense.url, token: dense.token }, dimensions: 4, ...options });
const hybridStore = () =>
  upstashVectorStore({ index: { url: hybrid.url, token: hybrid.token }, dimensions: 4, hybrid: true });

let workspaceCounter = 0;
const freshWorkspace = (): Scope => ({ workspaceId: `ws${Date.now().toString(36)}${workspaceCounter++}` });

describe('upstashVectorStore: one namespace per scope', () => {
  it('sends each scope’s calls to its own namespace, after the prefix', async () => {
    const store = denseStore({ namespacePrefix: 'run7|' });
    const scope = freshWorkspace();
    dense.namespacePaths.length = 0;
    await store.upsert(scope, [{ id: 'a', vector: [1, 0, 0, 0] }]);
    await store.upsert({ ...scope, userId: 'ana@example.com' }, [{ id: 'a', vector: [1, 0, 0, 0] }]);
    await store.query({ ...scope, userId: 'ana@example.com' }, { vector: [1, 0, 0, 0], topK: 1 });
    expect(dense.namespacePaths.filter((path) => path !== '')).toEqual([
      `run7|${scope.workspaceId}`,
      `run7|${scope.workspaceId}:ana@example.com`,
      `run7|${scope.workspaceId}:ana@example.com`,
    ]);
    expect(await store.clear(scope)).toBe(2);
  });

  it('ids in any script reach the service as the same namespace and stay apart', async () => {
    const store = denseStore();
    const kaisha: Scope = { workspaceId: `会社${workspaceCounter++}` };
    const cafe: Scope = { workspaceId: `café${workspaceCounter++}` };
    await store.upsert(kaisha, [{ id: 'a', vector: [1, 0, 0, 0], text: '会社' }]);
    await store.upsert(cafe, [{ id: 'a', vector: [1, 0, 0, 0], text: 'café' }]);
    expect((await store.get(kaisha, ['a']))[0]?.text).toBe('会社');
    expect(dense.namespacePaths).toContain(kaisha.workspaceId);
    expect(await store.clear(kaisha)).toBe(1);
    expect(await store.count(cafe)).toBe(1);
    await store.clear(cafe);
  });

  // Issue 15 item 16: a namespace named like an Object member counts as what it holds.
  it('counts workspaces named constructor, toString or __proto__ as numbers: 0 when empty', async () => {
    const store = denseStore();
    for (const workspaceId of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const scope: Scope = { workspaceId };
      await store.clear(scope);
      expect(await store.count(scope)).toBe(0);
      await store.upsert(scope, [{ id: 'a', vector: [1, 0, 0, 0] }]);
      expect(await store.count(scope)).toBe(1);
      expect(await store.clear(scope)).toBe(1);
      expect(await store.count(scope)).toBe(0);
    }
  });

  it('refuses "." and "..", which a URL path would resolve to another namespace', async () => {
    const store = denseStore();
    const before = { ...dense.requests };
    for (const workspaceId of ['.', '..']) {
      const failure = await store
        .upsert({ workspaceId }, [{ id: 'a', vector: [1, 0, 0, 0] }])
        .catch((error) => error);
      expect(ScopeError.isInstance(failure)).toBe(true);
      expect(failure.message).toContain('namespacePrefix');
    }
    expect(dense.requests).toEqual(before);
    const prefixed = denseStore({ namespacePrefix: 'app:' });
    await prefixed.upsert({ workspaceId: '..' }, [{ id: 'a', vector: [1, 0, 0, 0] }]);
    expect(await prefixed.clear({ workspaceId: '..' })).toBe(1);
  });
});

describe('upstashVectorStore: metadata', () => {
  it('filters select exactly what matchesFilter selects, quotes and backslashes included', async () => {
    for (const store of [denseStore(), hybridStore()]) {
      const scope = freshWorkspace();
      await store.upsert(
        scope,
        FILTER_FIXTURE_RECORDS.map((record, index) => ({
          ...record,
          vector: [1, index / 10, 0, 0],
          text: 'fixture',
        })),
      );
      for (const filter of FILTER_FIXTURE_FILTERS) {
        const matches = await store.query(scope, { vector: [1, 0, 0, 0], topK: 100, filter });
        expect(matches.map((match) => match.id).sort(), JSON.stringify(filter)).toEqual(expectedIds(filter));
      }
      expect(await store.clear(scope)).toBe(FILTER_FIXTURE_RECORDS.length);
    }
  });

  it('a value that looks like filter syntax stays a value', async () => {
    const store = denseStore();
    const scope = freshWorkspace();
    await store.upsert(scope, [
      { id: 'a', vector: [1, 0, 0, 0], metadata: { kind: 'a' } },
      { id: 'b', vector: [1, 0, 0, 0], metadata: { kind: "x' OR metadata.kind = 'a" } },
    ]);
    const matches = await store.query(scope, {
      vector: [1, 0, 0, 0],
      topK: 10,
      filter: { kind: "x' OR metadata.kind = 'a" },
    });
    expect(matches.map((match) => match.id)).toEqual(['b']);
    await store.clear(scope);
  });

  it('null values round-trip and match { key: null } like missing keys', async () => {
    const store = denseStore();
    const scope = freshWorkspace();
    await store.upsert(scope, [
      { id: 'null', vector: [1, 0, 0, 0], metadata: { owner: null, tag: 'x' } },
      { id: 'missing', vector: [1, 0, 0, 0], metadata: { tag: 'x' } },
      { id: 'set', vector: [1, 0, 0, 0], metadata: { owner: 'ana' } },
    ]);
    expect((await store.get(scope, ['null']))[0]?.metadata).toEqual({ owner: null, tag: 'x' });
    const matches = await store.query(scope, { vector: [1, 0, 0, 0], topK: 10, filter: { owner: null } });
    expect(matches.map((match) => match.id).sort()).toEqual(['missing', 'null']);
    await store.clear(scope);
  });

  it('deleteWhere pages through more records than one range request returns', async () => {
    const store = denseStore();
    const scope = freshWorkspace();
    const records = Array.from({ length: 2500 }, (_, index) => ({
      id: `r${index}`,
      vector: [1, index, 0, 0],
      metadata: { even: index % 2 === 0 },
    }));
    await store.upsert(scope, records);
    const ranges = dense.requests.range ?? 0;
    expect(await store.deleteWhere(scope, { even: true })).toBe(1250);
    expect((dense.requests.range ?? 0) - ranges).toBe(3);
    expect(await store.count(scope)).toBe(1250);
    await store.clear(scope);
  });
});

describe('upstashVectorStore on a hybrid index', () => {
  it('writes every record with a sparse part, even without text or with thousands of words', async () => {
    const store = hybridStore();
    const scope = freshWorkspace();
    const longText = Array.from({ length: 1500 }, (_, index) => `word${index}`).join(' ');
    await store.upsert(scope, [
      { id: 'no-text', vector: [1, 0, 0, 0] },
      { id: 'long', vector: [0, 1, 0, 0], text: `${longText} needle needle` },
    ]);
    expect((await store.search(scope, { query: 'needle', topK: 5 })).map((match) => match.id)).toEqual([
      'long',
    ]);
    expect(await store.count(scope)).toBe(2);
    await store.clear(scope);
  });

  it('add() without an embedder re-indexes records upsert() wrote, and refuses new ones', async () => {
    const store = hybridStore();
    const scope = freshWorkspace();
    await store.upsert(scope, [{ id: 'a', vector: [0, 0, 1, 0], text: 'old words' }]);
    await store.add(scope, [{ id: 'a', text: 'fresh words', metadata: { v: 2 } }]);
    expect(await store.get(scope, ['a'])).toMatchObject([{ text: 'fresh words', metadata: { v: 2 } }]);
    expect(Array.from((await store.get(scope, ['a']))[0]!.vector)).toEqual([0, 0, 1, 0]);
    expect((await store.search(scope, { query: 'fresh', topK: 5 })).map((match) => match.id)).toEqual(['a']);
    const failure = await store
      .add(scope, [
        { id: 'a', text: 'again' },
        { id: 'new', text: 'brand new' },
      ])
      .catch((error) => error);
    expect(ValidationError.isInstance(failure)).toBe(true);
    expect(failure.message).toMatch(/new.*upsert\(|embedder/s);
    expect((await store.get(scope, ['a']))[0]?.text).toBe('fresh words');
    await store.clear(scope);
  });

  it('add() with an embedder writes nothing when the embedder fails or returns vectors of another length', async () => {
    const outage = new Error('embedding service down');
    const hybridWith = (embed: Embedder['embed']) =>
      upstashVectorStore({
        index: { url: hybrid.url, token: hybrid.token },
        dimensions: 4,
        hybrid: true,
        embedder: { provider: 'test', model: 'test', dimensions: 4, embed },
      });
    const scope = freshWorkspace();
    const failing = hybridWith(async () => {
      throw outage;
    });
    const failure = await failing.add(scope, [{ id: 'a', text: 'words' }]).catch((error) => error);
    // A plain error from inside the call reaches the caller as defineKeywordIndex wraps it: named, with its cause.
    expect(StoreError.isInstance(failure)).toBe(true);
    expect(failure.message).toBe('upstashVectorStore.add failed: embedding service down');
    expect(failure.cause).toBe(outage);

    const short = hybridWith(async (texts) => texts.map(() => Float32Array.from([1, 0, 0])));
    const mismatch = await short.add(scope, [{ id: 'a', text: 'words' }]).catch((error) => error);
    expect(DimensionMismatchError.isInstance(mismatch)).toBe(true);
    expect(mismatch.message).toBe(
      'upstashVectorStore was created for 4 dimensions, but the embedding of document "a" has 3. Embed with the model the index was created for.',
    );
    expect(await failing.count(scope)).toBe(0);
  });

  it('a dense-index store on a hybrid index fails with a ConfigurationError about the hybrid option', async () => {
    const store = upstashVectorStore({ index: { url: hybrid.url, token: hybrid.token }, dimensions: 4 });
    const failure = await store
      .upsert(freshWorkspace(), [{ id: 'a', vector: [1, 0, 0, 0] }])
      .catch((error) => error);
    expect(ConfigurationError.isInstance(failure)).toBe(true);
    expect(failure.message).toMatch(/hybrid/);
  });
});

describe('upstashVectorStore configuration', () => {
  it('a wrong token fails with a ConfigurationError naming UPSTASH_VECTOR_REST_TOKEN', async () => {
    const store = upstashVectorStore({ index: { url: dense.url, token: 'wrong' }, dimensions: 4 });
    const failure = await store.count(freshWorkspace()).catch((error) => error);
    expect(ConfigurationError.isInstance(failure)).toBe(true);
    expect(failure.message).toContain('UPSTASH_VECTOR_REST_TOKEN');
  });

  it('checks the index’s dimension and similarity on first use', async () => {
    const euclidean = await startUpstashVectorServer({ dimension: 4, similarityFunction: 'EUCLIDEAN' });
    try {
      const wrongDimension = upstashVectorStore({
        index: { url: dense.url, token: dense.token },
        dimensions: 8,
      });
      const first = await wrongDimension
        .query(freshWorkspace(), { vector: new Array(8).fill(1), topK: 1 })
        .catch((error) => error);
      expect(ConfigurationError.isInstance(first)).toBe(true);
      expect(first.message).toMatch(/dimension 4.*dimensions: 8/);
      const wrongSimilarity = upstashVectorStore({
        index: { url: euclidean.url, token: euclidean.token },
        dimensions: 4,
      });
      const second = await wrongSimilarity
        .query(freshWorkspace(), { vector: [1, 0, 0, 0], topK: 1 })
        .catch((error) => error);
      expect(ConfigurationError.isInstance(second)).toBe(true);
      expect(second.message).toMatch(/EUCLIDEAN.*COSINE/);
    } finally {
      await euclidean.close();
    }
  });

  it('takes an existing Index and exposes it; without url and token it names both settings', () => {
    const index = new Index({ url: dense.url, token: dense.token, enableTelemetry: false });
    expect(upstashVectorStore({ index, dimensions: 4 }).index).toBe(index);
    const saved = { url: process.env.UPSTASH_VECTOR_REST_URL, token: process.env.UPSTASH_VECTOR_REST_TOKEN };
    delete process.env.UPSTASH_VECTOR_REST_URL;
    try {
      expect(() => upstashVectorStore({ dimensions: 4 })).toThrow(/`index.url`.*UPSTASH_VECTOR_REST_URL/);
    } finally {
      if (saved.url !== undefined) process.env.UPSTASH_VECTOR_REST_URL = saved.url;
    }
    expect(() =>
      upstashVectorStore({ index: { url: dense.url, token: 'x' }, dimensions: 4, namespacePrefix: 'a/b' }),
    ).toThrow(/namespacePrefix/);
  });

  it('reports each call as a db-query event without its payload, and clamps topK to Upstash’s 1,000', async () => {
    const events: NeptuneEvent[] = [];
    const telemetry = createTelemetryChannel();
    telemetry.subscribe((event) => events.push(event));
    const store = denseStore({ telemetry });
    const scope = freshWorkspace();
    await store.upsert(scope, [{ id: 'secret-id', vector: [1, 0, 0, 0], text: 'secret text' }]);
    const matches = await store.query(scope, { vector: [1, 0, 0, 0], topK: 5000 });
    expect(matches.map((match) => match.id)).toEqual(['secret-id']);
    expect(events.map((event) => (event.type === 'db-query' ? event.name : event.type))).toEqual([
      'upstashVectorStore.ready',
      'upstashVectorStore.upsert',
      'upstashVectorStore.query',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/secret/);
    await store.clear(scope);
  });
});
