import type { KeywordIndex, KeywordMatch } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { randomTestId } from '@neptune/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDocument } from '../ingestion/source-document';
import { createKnowledgeBase } from '../knowledge-base';
import { pgvectorStore } from './pgvector-store';
import { postgresKeywordIndex } from './postgres-keyword-index';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';

/**
 * The keyword leg must not depend on where it runs: ingested through the knowledge base, a Postgres
 * store (pgvector doing keywords itself, or the keyword index beside memory vectors) scores every chunk
 * exactly as the in-memory BM25 index does, title and headings included. Several query words below are
 * only in titles or headings, so a store that indexed the bare chunk text would rank differently.
 */
const DOCUMENTS: SourceDocument[] = [
  { id: 'walrus', title: 'Arctic walruses', text: 'They haul out on sea ice to rest between dives.' },
  {
    id: 'tern',
    title: 'Arctic terns',
    text: 'Terns migrate from pole to pole every year, the longest migration.',
  },
  {
    id: 'penguin',
    title: 'Emperor penguins',
    text: 'Penguins breed on the sea ice during the polar winter.',
  },
  { id: 'ice', title: 'Sea ice', text: 'Sea ice forms when the ocean freezes; it thins every summer.' },
  {
    id: 'guide',
    format: 'markdown',
    text: '# Field guide\n\n## Walrus tusks\n\nBoth sexes grow them and use them to climb.\n\n## Tern nests\n\nScrapes on bare gravel.',
  },
  { id: 'untitled', text: 'A note about dives and rest, without a title.' },
];

const QUERIES = [
  'arctic',
  'walruses rest',
  'emperor breed',
  'field guide tusks',
  'tern nests gravel',
  'sea ice',
];

const EMBEDDER = offlineEmbedder({ dimensions: 32 });
const scores = (matches: readonly KeywordMatch[]) => matches.map(({ id, score }) => ({ id, score }));

let database: PgliteDatabase;
beforeAll(async () => {
  database = await startPgliteDatabase();
});
afterAll(() => database.close());

describe('keyword scores through the knowledge base: Postgres equals memory', () => {
  it('pgvectorStore indexing keywords itself and postgresKeywordIndex score like the in-memory BM25 index', async () => {
    const scope = { workspaceId: randomTestId('ws') };
    const store = pgvectorStore({
      db: database.db,
      dimensions: EMBEDDER.dimensions,
      tableName: 'parity_vectors',
    });
    const keywordIndex = postgresKeywordIndex({ db: database.db, tableName: 'parity_keywords' });
    await store.ensureSchema();
    await keywordIndex.ensureSchema();
    const memory = createKnowledgeBase({ embedder: EMBEDDER, cache: false });
    const onPgvector = createKnowledgeBase({ embedder: EMBEDDER, vectorStore: store, cache: false });
    const besideMemory = createKnowledgeBase({ embedder: EMBEDDER, keywordIndex, cache: false });
    expect(onPgvector.keywordIndex).toBeUndefined();
    for (const knowledgeBase of [memory, onPgvector, besideMemory]) {
      const report = await knowledgeBase.ingest(scope, DOCUMENTS);
      expect(report.failed).toEqual([]);
    }
    const indexes: Record<string, KeywordIndex> = { pgvector: store, postgresKeywordIndex: keywordIndex };
    for (const query of QUERIES) {
      const expected = scores(await memory.keywordIndex!.search(scope, { query, topK: 20 }));
      expect(expected.length, query).toBeGreaterThan(0);
      for (const [name, index] of Object.entries(indexes)) {
        expect(scores(await index.search(scope, { query, topK: 20 })), `${name}: ${query}`).toEqual(expected);
      }
      // And so through retrieve: the keyword leg alone ranks the same passages with the same scores.
      const keywordOnly = { vectorWeight: 0, keywordWeight: 1, topK: 20, neighbours: 0 } as const;
      const passages = async (knowledgeBase: typeof memory) =>
        (await knowledgeBase.retrieve(scope, query, keywordOnly)).passages.map((passage) => ({
          id: passage.id,
          keyword: passage.legs.keyword?.score,
        }));
      const fromMemory = await passages(memory);
      expect(await passages(onPgvector), query).toEqual(fromMemory);
      expect(await passages(besideMemory), query).toEqual(fromMemory);
    }
    // A word only in a title finds its document: the title was indexed with the chunk.
    const [emperor] = await store.search(scope, { query: 'emperor', topK: 1 });
    expect(emperor?.metadata.documentId).toBe('penguin');
    expect(emperor?.text).not.toMatch(/Emperor/);
    await store.clear(scope);
    await keywordIndex.clear(scope);
  }, 60_000);
});
