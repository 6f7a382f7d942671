import { describeKeywordIndexConformance, describeVectorStoreConformance } from '@neptune/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { pgvectorStore } from './pgvector-store';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';

let database: PgliteDatabase;
const store = () => pgvectorStore({ db: database.db, dimensions: 8 });
beforeAll(async () => {
  database = await startPgliteDatabase();
  await store().ensureSchema();
});
afterAll(() => database.close());

describeVectorStoreConformance({
  name: 'pgvector (PGlite)',
  create: store,
  // Scopes under exactSearchThreshold (10,000 rows; the suite writes at most 200) are searched exactly.
  capabilities: { exact: true, keyword: true },
});

describeKeywordIndexConformance({
  name: 'pgvector BM25 (PGlite)',
  create: store,
  capabilities: { stemming: true, bm25: true },
});
