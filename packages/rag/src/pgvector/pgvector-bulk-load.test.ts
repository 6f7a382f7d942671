import { createTelemetryChannel, type NeptuneEvent, type Scope, ValidationError } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { randomTestId } from '@neptune/core/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../knowledge-base';
import { resultRows } from './bm25-writes';
import { pgvectorStore } from './pgvector-store';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';

let database: PgliteDatabase;
beforeAll(async () => {
  database = await startPgliteDatabase();
});
afterAll(() => database.close());

const acme: Scope = { workspaceId: 'acme' };

function documents(count: number, offset = 0) {
  return Array.from({ length: count }, (_, index) => ({
    id: `doc-${offset + index}`,
    text: `Document ${offset + index} is about ${['refunds', 'exports', 'webhooks', 'invoices'][index % 4]} and ${index % 7} other things.`,
  }));
}

async function hasHnswIndex(tableName: string): Promise<boolean> {
  const rows = resultRows<{ present: boolean }>(
    await database.db.execute(
      sql`SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE tablename = ${tableName} AND indexdef ILIKE '%USING hnsw%') AS present`,
    ),
  );
  return rows[0]?.present === true;
}

function setUp(telemetry = createTelemetryChannel()) {
  const tableName = randomTestId('bulk_').toLowerCase();
  const embedder = offlineEmbedder({ dimensions: 32 });
  const store = pgvectorStore({ db: database.db, dimensions: 32, tableName, telemetry });
  const knowledgeBase = createKnowledgeBase({
    embedder,
    vectorStore: store,
    embedBatchSize: 16,
    cache: false,
  });
  return { tableName, store, knowledgeBase, telemetry };
}

describe('pgvectorStore bulk path (PGlite)', () => {
  it('ingestion writes each embedding batch in one upsert, not one per document', async () => {
    const events: NeptuneEvent[] = [];
    const { store, knowledgeBase, telemetry } = setUp();
    await store.ensureSchema();
    telemetry.subscribe((event) => events.push(event));
    const report = await knowledgeBase.ingest(acme, documents(40));
    expect(report.added).toHaveLength(40);
    const upserts = events.filter(
      (event) => event.type === 'db-query' && event.name === 'pgvectorStore.upsert',
    );
    // 40 one-chunk documents in batches of 16 texts: 3 writes.
    expect(upserts).toHaveLength(3);
    expect(await store.count(acme)).toBe(40);
  });

  it('a document the database refuses fails alone; the rest of its batch is indexed', async () => {
    const { tableName, store, knowledgeBase } = setUp();
    await store.ensureSchema();
    // A real refusal from the database, for one document's rows only.
    await database.db.execute(
      sql.raw(`CREATE FUNCTION ${tableName}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.text LIKE '%POISON%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`),
    );
    await database.db.execute(
      sql.raw(
        `CREATE TRIGGER ${tableName}_refuse BEFORE INSERT ON ${tableName} FOR EACH ROW EXECUTE FUNCTION ${tableName}_refuse()`,
      ),
    );
    const batch = documents(10);
    batch[4] = { id: 'poisoned', text: 'This POISON document cannot be stored.' };
    const report = await knowledgeBase.ingest(acme, batch);
    expect(report.failed.map((failure) => failure.documentId)).toEqual(['poisoned']);
    expect(report.added).toHaveLength(9);
    expect(await store.count(acme)).toBe(9);
    expect(await knowledgeBase.documentIds(acme)).not.toContain('poisoned');
    // The BM25 statistics hold the nine documents only.
    expect(await store.search(acme, { query: 'poison', topK: 5 })).toEqual([]);
    expect((await store.search(acme, { query: 'refunds', topK: 10 })).length).toBeGreaterThan(0);
  });

  it('into an empty table, loads without the HNSW index and builds it after; BM25 statistics stay exact', async () => {
    const { tableName, store, knowledgeBase } = setUp();
    await store.ensureSchema();
    expect(await hasHnswIndex(tableName)).toBe(true);
    const during: boolean[] = [];
    const loaded = await store.bulkLoad(
      async () => {
        let chunks = 0;
        for (let call = 0; call < 3; call++) {
          chunks += (await knowledgeBase.ingest(acme, documents(20, call * 20))).chunksWritten;
          during.push(await hasHnswIndex(tableName));
        }
        return chunks;
      },
      { maintenanceWorkMem: '64MB' },
    );
    expect(loaded).toMatchObject({ result: 60, indexBuiltAfter: true });
    expect(during).toEqual([false, false, false]);
    expect(await hasHnswIndex(tableName)).toBe(true);
    expect(await store.count(acme)).toBe(60);

    // The same corpus written without a bulk load scores identically: the statistics are the same.
    const plain = setUp();
    await plain.store.ensureSchema();
    for (let call = 0; call < 3; call++) await plain.knowledgeBase.ingest(acme, documents(20, call * 20));
    for (const query of ['refunds', 'webhooks other things', 'document 17']) {
      const bulk = await store.search(acme, { query, topK: 10 });
      expect(bulk.length).toBeGreaterThan(0);
      expect(bulk).toEqual(await plain.store.search(acme, { query, topK: 10 }));
    }
    const vector = (await knowledgeBase.embedder.embed(['refunds']))[0]!;
    expect((await store.query(acme, { vector, topK: 5 })).map((match) => match.id)).toEqual(
      (await plain.store.query(acme, { vector, topK: 5 })).map((match) => match.id),
    );
  });

  it('into a table that holds rows, keeps the index throughout', async () => {
    const { tableName, store, knowledgeBase } = setUp();
    await store.ensureSchema();
    await knowledgeBase.ingest(acme, documents(5));
    const loaded = await store.bulkLoad(async () => {
      await knowledgeBase.ingest(acme, documents(10, 5));
      return hasHnswIndex(tableName);
    });
    expect(loaded).toEqual({ result: true, indexBuiltAfter: false, indexBuildMs: 0 });
    expect(await store.count(acme)).toBe(15);
  });

  it('builds the index even when the load fails, and rethrows the failure', async () => {
    const { tableName, store, knowledgeBase } = setUp();
    await store.ensureSchema();
    const failure = new Error('the corpus ran out');
    await expect(
      store.bulkLoad(async () => {
        await knowledgeBase.ingest(acme, documents(5));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await hasHnswIndex(tableName)).toBe(true);
    expect(await store.count(acme)).toBe(5);
  });

  it('refuses a maintenance_work_mem that is not a size, before touching the table', async () => {
    const { tableName, store } = setUp();
    await store.ensureSchema();
    await expect(
      store.bulkLoad(async () => 0, { maintenanceWorkMem: "1GB'; DROP TABLE x; --" }),
    ).rejects.toThrow(ValidationError);
    expect(await hasHnswIndex(tableName)).toBe(true);
  });
});
