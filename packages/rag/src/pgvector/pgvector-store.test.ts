import {
  ConfigurationError,
  createTelemetryChannel,
  DimensionMismatchError,
  type NeptuneEvent,
  type Scope,
  ValidationError,
} from '@neptune/core';
import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { randomTestId } from '@neptune/core/testing';
import { getTableName } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgvectorStoreOptions, pgvectorStore } from './pgvector-store';
import {
  expectedIds,
  FILTER_FIXTURE_FILTERS,
  FILTER_FIXTURE_RECORDS,
} from './testing/metadata-filter-fixture';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';

let database: PgliteDatabase;
beforeAll(async () => {
  database = await startPgliteDatabase();
});
afterAll(() => database.close());

/** A store on its own fresh table, so tests never see each other's rows. */
async function freshStore(options: Partial<PgvectorStoreOptions> = {}) {
  const store = pgvectorStore({
    db: database.db,
    dimensions: 4,
    tableName: randomTestId('chunks_').toLowerCase(),
    ...options,
  });
  await store.ensureSchema();
  return store;
}

const acme: Scope = { workspaceId: 'acme' };

describe('pgvectorStore: one table for vectors and keywords', () => {
  it('upsert with text feeds both the vector and the keyword search', async () => {
    const store = await freshStore();
    await store.upsert(acme, [
      { id: 'a', vector: [1, 0, 0, 0], text: 'Neptune has supersonic winds', metadata: { planet: true } },
      { id: 'b', vector: [0, 1, 0, 0], text: 'Mars has dust storms' },
    ]);
    expect((await store.search(acme, { query: 'winds', topK: 5 })).map((match) => match.id)).toEqual(['a']);
    expect((await store.query(acme, { vector: [1, 0.1, 0, 0], topK: 1 }))[0]?.id).toBe('a');
  });

  it('keyword-only rows from add() are searchable but are not vector records', async () => {
    const store = await freshStore();
    await store.add(acme, [{ id: 'k', text: 'only keywords here' }]);
    expect((await store.search(acme, { query: 'keywords', topK: 5 })).map((match) => match.id)).toEqual([
      'k',
    ]);
    expect(await store.count(acme)).toBe(0);
    expect(await store.get(acme, ['k'])).toEqual([]);
    expect(await store.query(acme, { vector: [1, 0, 0, 0], topK: 5 })).toEqual([]);
    expect(await store.clear(acme)).toBe(1);
  });

  it('add() on a vector record replaces its text and metadata and keeps its vector', async () => {
    const store = await freshStore();
    await store.upsert(acme, [{ id: 'a', vector: [0, 0, 1, 0], text: 'old words', metadata: { v: 1 } }]);
    await store.add(acme, [{ id: 'a', text: 'new words', metadata: { v: 2 } }]);
    const [record] = await store.get(acme, ['a']);
    expect(record).toMatchObject({ text: 'new words', metadata: { v: 2 } });
    expect(Array.from(record!.vector)).toEqual([0, 0, 1, 0]);
    expect(await store.search(acme, { query: 'old', topK: 5 })).toEqual([]);
  });

  it('delete and remove take the record out of both searches', async () => {
    const store = await freshStore();
    await store.upsert(acme, [
      { id: 'a', vector: [1, 0, 0, 0], text: 'apple' },
      { id: 'b', vector: [0, 1, 0, 0], text: 'apple' },
    ]);
    expect(await store.delete(acme, ['a'])).toBe(1);
    expect(await store.remove(acme, ['b'])).toBe(1);
    expect(await store.search(acme, { query: 'apple', topK: 5 })).toEqual([]);
    expect(await store.count(acme)).toBe(0);
  });

  it('ranks rows holding every query word above rows holding one of them many times over', async () => {
    const store = await freshStore();
    await store.add(acme, [
      { id: 'some', text: 'rotate rotate rotate rotate rotate the keys' },
      { id: 'every', text: 'how to rotate api credentials' },
    ]);
    const matches = await store.search(acme, { query: 'rotate api credentials', topK: 5 });
    expect(matches.map((match) => match.id)).toEqual(['every', 'some']);
  });

  it('an upsert with text is found by keyword search; a text-less one is not, and leaves no statistics', async () => {
    const store = await freshStore();
    await store.upsert(acme, [
      { id: 'a', vector: [1, 0, 0, 0], text: 'rotating credentials' },
      { id: 'b', vector: [0, 1, 0, 0] },
    ]);
    expect((await store.search(acme, { query: 'rotate', topK: 5 })).map((match) => match.id)).toEqual(['a']);
    await store.upsert(acme, [{ id: 'a', vector: [1, 0, 0, 0] }]);
    expect(await store.search(acme, { query: 'rotate', topK: 5 })).toEqual([]);
    const tableName = getTableName(store.table);
    const { rows } = await database.client.query<{ postings: number; df: number; documents: string }>(
      `SELECT (SELECT count(*)::int FROM "${tableName}_postings") AS postings,
              (SELECT coalesce(sum(df), 0)::int FROM "${tableName}_df") AS df,
              (SELECT coalesce(sum(doc_count), 0)::text FROM "${tableName}_scopes") AS documents`,
    );
    expect(rows[0]).toEqual({ postings: 0, df: 0, documents: '0' });
  });

  it('a batch with the same id twice keeps the last, as writing them one by one would', async () => {
    const store = await freshStore();
    await store.upsert(acme, [
      { id: 'a', vector: [1, 0, 0, 0], text: 'first' },
      { id: 'a', vector: [0, 1, 0, 0], text: 'second' },
    ]);
    expect(await store.count(acme)).toBe(1);
    expect((await store.get(acme, ['a']))[0]?.text).toBe('second');
  });
});

/**
 * Names the search statements could have used for their own subqueries (the CTEs and aliases of the
 * vector and BM25 statements before they were given names no table can have).
 */
const STATEMENT_NAMES = [
  ...['nearest', 'scope_rows', 'scoped', 'found', 'counted'], // exact vector search
  ...['s', 'q', 'n', 'scored', 'matches'], // plain BM25 search
  ...['candidates', 'seeds', 'seeded', 'theta', 'reaching', 'reach', 'by_key'], // pruned BM25 search
];

describe('pgvectorStore: the search statements', () => {
  it('work on a table named like a name inside them, and with a threshold past 32 bits', async () => {
    for (const tableName of STATEMENT_NAMES) {
      for (const keywordPruning of ['never', 'always'] as const) {
        const store = await freshStore({ tableName, exactSearchThreshold: 3_000_000_000, keywordPruning });
        await store.clear(acme);
        await store.upsert(acme, [
          { id: 'a', vector: [1, 0, 0, 0], text: 'alpha beta', metadata: { n: 1 } },
          { id: 'b', vector: [0, 1, 0, 0], text: 'beta' },
        ]);
        const matches = await store.query(acme, { vector: [0, 1, 0, 0], topK: 2 });
        expect(
          matches.map(({ id, text }) => `${id} ${text}`),
          tableName,
        ).toEqual(['b beta', 'a alpha beta']);
        expect(matches[1]!.metadata).toEqual({ n: 1 });
        const found = await store.search(acme, { query: 'alpha beta', topK: 2 });
        expect(
          found.map(({ id }) => id),
          `${tableName} ${keywordPruning}`,
        ).toEqual(['a', 'b']);
      }
    }
  });

  it('answers an empty scope, and a filter that keeps nothing, with no rows', async () => {
    const store = await freshStore();
    expect(await store.query(acme, { vector: [1, 0, 0, 0], topK: 3 })).toEqual([]);
    await store.upsert(acme, [{ id: 'a', vector: [1, 0, 0, 0], metadata: { kind: 'x' } }]);
    expect(await store.query(acme, { vector: [1, 0, 0, 0], topK: 3, filter: { kind: 'y' } })).toEqual([]);
  });
});

describe('pgvectorStore: values Postgres refuses', () => {
  it('text with a NUL character is refused with a ValidationError and nothing is written', async () => {
    const store = await freshStore();
    await store.upsert(acme, [{ id: 'kept', vector: [1, 0, 0, 0], text: 'kept' }]);
    const failure = await store
      .upsert(acme, [
        { id: 'fresh', vector: [0, 1, 0, 0], text: 'fine' },
        { id: 'bad', vector: [0, 0, 1, 0], text: 'nul \u0000 inside' },
      ])
      .catch((error) => error);
    expect(ValidationError.isInstance(failure)).toBe(true);
    expect(failure.message).toContain('NUL');
    expect(await store.count(acme)).toBe(1);
  });

  it('a query vector of the wrong length is a DimensionMismatchError before any SQL runs', async () => {
    const events: NeptuneEvent[] = [];
    const telemetry = createTelemetryChannel();
    telemetry.subscribe((event) => events.push(event));
    const store = await freshStore({ telemetry });
    events.length = 0;
    const failure = await store.query(acme, { vector: [1, 0, 0], topK: 1 }).catch((error) => error);
    expect(DimensionMismatchError.isInstance(failure)).toBe(true);
    expect(failure.message).toBe(
      'pgvectorStore was created for 4 dimensions, but the query vector has 3. Embed with the model the store was created for, or use a store (and table) created with { dimensions: 3 }.',
    );
    expect(events).toEqual([]);
  });

  it('refused keyword calls name pgvectorStore and its method, before any SQL runs', async () => {
    const events: NeptuneEvent[] = [];
    const telemetry = createTelemetryChannel();
    telemetry.subscribe((event) => events.push(event));
    const store = await freshStore({ telemetry });
    events.length = 0;
    const refusedAdd = await store.add(acme, [{ id: '', text: 'words' }]).catch((error) => error);
    expect(ValidationError.isInstance(refusedAdd)).toBe(true);
    expect(refusedAdd.message).toContain('documents passed to pgvectorStore.add');
    const refusedSearch = await store.search(acme, { query: 'words', topK: 0 }).catch((error) => error);
    expect(ValidationError.isInstance(refusedSearch)).toBe(true);
    expect(refusedSearch.message).toContain('query passed to pgvectorStore.search');
    expect(events).toEqual([]);
  });
});

describe('pgvectorStore: metadata filters in SQL', () => {
  it('select exactly the records matchesFilter selects, for every edge case', async () => {
    const store = await freshStore();
    await store.upsert(
      acme,
      FILTER_FIXTURE_RECORDS.map((record, index) => ({ ...record, vector: [1, index / 10, 0, 0] })),
    );
    for (const filter of FILTER_FIXTURE_FILTERS) {
      const matches = await store.query(acme, { vector: [1, 0, 0, 0], topK: 100, filter });
      expect(matches.map((match) => match.id).sort(), JSON.stringify(filter)).toEqual(expectedIds(filter));
    }
    expect(await store.deleteWhere(acme, { tags: 'x' })).toBe(expectedIds({ tags: 'x' }).length);
  });
});

describe('pgvectorStore on drivers and telemetry', () => {
  it('reports each query as a db-query event with a name, never its parameters', async () => {
    const events: NeptuneEvent[] = [];
    const telemetry = createTelemetryChannel();
    telemetry.subscribe((event) => events.push(event));
    const store = await freshStore({ telemetry });
    events.length = 0;
    await store.upsert(acme, [{ id: 'secret-id', vector: [1, 0, 0, 0], text: 'secret text' }]);
    await store.query(acme, { vector: [1, 0, 0, 0], topK: 3 });
    await store.search(acme, { query: 'secret', topK: 3 });
    const names = events.map((event) => (event.type === 'db-query' ? event.name : event.type));
    expect(names).toEqual([
      'pgvectorStore.ready',
      'pgvectorStore.ready',
      'pgvectorStore.upsert',
      // One statement for a small scope's vector search: its size and its nearest rows together.
      'pgvectorStore.query.exact-or-size',
      // One statement per keyword search: statistics, weights, scores and rows together.
      'pgvectorStore.search',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/secret/);
    expect(events.at(-1)).toMatchObject({ type: 'db-query', rows: 1, scope: acme, slow: false });
  });

  it('still answers through HNSW on a driver without interactive transactions (neon-http)', async () => {
    const store = await freshStore();
    await store.upsert(acme, [
      { id: 'a', vector: [1, 0, 0, 0] },
      { id: 'b', vector: [0, 1, 0, 0] },
    ]);
    // drizzle's neon-http driver rejects transaction() before running the callback.
    const withoutTransactions = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property === 'transaction') {
          return () => Promise.reject(new Error('No transactions support in neon-http driver'));
        }
        return Reflect.get(target, property, receiver);
      },
    }) as PostgresDatabase;
    const tableName = getTableName(store.table);
    const events: NeptuneEvent[] = [];
    const telemetry = createTelemetryChannel();
    telemetry.subscribe((event) => events.push(event));
    const onNeon = pgvectorStore({
      db: withoutTransactions,
      dimensions: 4,
      tableName,
      exactSearchThreshold: 0,
      telemetry,
    });
    const matches = await onNeon.query(acme, { vector: [1, 0.2, 0, 0], topK: 2 });
    expect(matches.map((match) => match.id)).toEqual(['a', 'b']);
    expect(events.map((event) => (event.type === 'db-query' ? event.name : ''))).toContain(
      'pgvectorStore.query.hnsw',
    );
    expect(await onNeon.search(acme, { query: 'anything', topK: 2 })).toEqual([]);
    // Rows and BM25 statistics change together or not at all, which takes a transaction.
    const refused = await onNeon
      .upsert(acme, [{ id: 'c', vector: [0, 0, 1, 0], text: 'c' }])
      .catch((error) => error);
    expect(ConfigurationError.isInstance(refused)).toBe(true);
    expect(refused.message).toMatch(/neon-serverless/);
  });

  it('sets the HNSW search settings for its own transaction only', async () => {
    const store = await freshStore({ exactSearchThreshold: 0 });
    await store.upsert(acme, [{ id: 'a', vector: [1, 0, 0, 0] }]);
    await store.query(acme, { vector: [1, 0, 0, 0], topK: 1 });
    const { rows } = await database.client.query<{ ef: string; scan: string }>(
      `SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS scan`,
    );
    expect(rows[0]).toEqual({ ef: '40', scan: 'off' });
  });
});
