import type { MetadataFilter, VectorStore } from '@neptune/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgvectorStore } from '../pgvector/pgvector-store';
import { type PgliteDatabase, startPgliteDatabase } from '../pgvector/testing/pglite-database';
import { memoryVectorStore } from './memory-vector-store';

const acme = { workspaceId: 'acme' };
const KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'];

// Issue 15 item 16: metadata keys named like Object.prototype members behave the same on every store.
describe('metadata keys named like Object.prototype members', () => {
  let database: PgliteDatabase;
  beforeAll(async () => {
    database = await startPgliteDatabase();
  }, 60_000);
  afterAll(() => database?.close());

  async function seed(store: VectorStore) {
    const records = [
      { id: 'plain', vector: [1, 0, 0], metadata: { kind: 'plain' } },
      ...KEYS.map((key, index) => ({
        id: `with-${key}`,
        vector: [1, index / 10, 0],
        metadata: JSON.parse(`{"${key}": "set", "kind": "named"}`) as Record<string, string>,
      })),
    ];
    await store.upsert(acme, records);
  }

  async function answers(store: VectorStore) {
    const out: Record<string, string[]> = {};
    for (const key of KEYS) {
      const filters: Record<string, MetadataFilter> = {
        null: JSON.parse(`{"${key}": null}`),
        eq: JSON.parse(`{"${key}": "set"}`),
        ne: JSON.parse(`{"${key}": {"$ne": "set"}}`),
        nin: JSON.parse(`{"${key}": {"$nin": ["set"]}}`),
      };
      for (const [name, filter] of Object.entries(filters)) {
        const matches = await store.query(acme, { vector: [1, 0, 0], topK: 20, filter });
        out[`${key} ${name}`] = matches.map((match) => match.id).sort();
      }
    }
    const stored = await store.get(
      acme,
      KEYS.map((key) => `with-${key}`),
    );
    out.roundTrip = stored
      .map((record) =>
        JSON.stringify(Object.entries(record.metadata ?? {}).sort(([a], [b]) => a.localeCompare(b))),
      )
      .sort();
    return out;
  }

  it('filter and round-trip the same on memory and pgvector', async () => {
    const memory = memoryVectorStore({ dimensions: 3 });
    const pg = pgvectorStore({ db: database.db, dimensions: 3, tableName: 'proto_keys' });
    await pg.ensureSchema();
    await seed(memory);
    await seed(pg);
    const fromPg = await answers(pg);
    expect(await answers(memory)).toEqual(fromPg);
    // What each key means: set on its own record only; missing (null) on every other.
    expect(fromPg['constructor eq']).toEqual(['with-constructor']);
    expect(fromPg['constructor null']).not.toContain('with-constructor');
    expect(fromPg['constructor null']).toContain('plain');
  });
});
