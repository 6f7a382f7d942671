import { createTelemetryChannel, type KeywordMatch, type NeptuneEventOf, type Scope } from '@neptune/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bm25Index } from '../keyword/bm25-index';
import { postgresKeywordIndex } from './postgres-keyword-index';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';

/**
 * A corpus where MaxScore has something to skip: every chunk holds `common`, a third hold `often`, and
 * each rare word a handful. A query for a rare word and the common ones only needs the rare word's
 * postings: the common terms' weights together are under the tenth best score.
 */
const CHUNKS = 600;
const RARE_WORDS = ['zephyr', 'quasar', 'nebula', 'aurora', 'comet', 'pulsar'];

function chunkText(index: number): string {
  const words = ['common', 'common'];
  if (index % 3 === 0) words.push('often');
  if (index % 7 === 0) words.push('weekly');
  // Every 40th chunk holds one rare word, some twice, so rare-word scores differ by frequency and length.
  if (index % 40 === 0) {
    const rare = RARE_WORDS[(index / 40) % RARE_WORDS.length]!;
    words.push(rare);
    if (index % 80 === 0) words.push(rare);
  }
  for (let filler = 0; filler < index % 5; filler++) words.push(`filler${index % 11}`);
  return words.join(' ');
}

const documents = Array.from({ length: CHUNKS }, (_, index) => ({
  id: `chunk-${String(index).padStart(4, '0')}`,
  text: chunkText(index),
}));

const QUERIES = [
  'zephyr common',
  'quasar often common',
  'nebula aurora common often',
  'comet comet common',
  // No rare word: the common terms cannot be pruned, the search ends on the plain statement.
  'common often weekly',
  'pulsar weekly',
];

const bare = (matches: readonly KeywordMatch[]) => matches.map(({ id, score }) => ({ id, score }));

describe('postgresKeywordIndex MaxScore pruning (PGlite)', () => {
  let database: PgliteDatabase;
  const telemetry = createTelemetryChannel();
  const queries: string[] = [];
  telemetry.on('db-query', (event: NeptuneEventOf<'db-query'>) => queries.push(event.name));
  const scope: Scope = { workspaceId: 'pruning' };
  const memory = new Bm25Index();
  memory.add(documents);
  const index = (keywordPruning: 'always' | 'never' | 'auto') =>
    postgresKeywordIndex({ db: database.db, tableName: 'bm25_pruning', telemetry, keywordPruning });

  const postingsKeyed = async () => {
    const { rows } = await database.client.query<{ keyed: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'bm25_pruning_postings'::regclass AND contype = 'p') AS keyed`,
    );
    return rows[0]!.keyed;
  };
  let keyedDuringLoad: boolean | undefined;
  let loaded: { indexBuiltAfter: boolean } | undefined;

  beforeAll(async () => {
    database = await startPgliteDatabase();
    await index('never').ensureSchema();
    // Loaded through bulkLoad: the postings' key is dropped for the load and built after it.
    loaded = await index('never').bulkLoad(async () => {
      await index('never').add(scope, documents.slice(0, CHUNKS / 2));
      keyedDuringLoad = await postingsKeyed();
      await index('never').add(scope, documents.slice(CHUNKS / 2));
    });
  }, 120_000);
  afterAll(() => database.close());

  it('answers a rare word with a common one from the rare postings in one pruned statement, exactly as the memory index', async () => {
    // `zephyr` is in three chunks: up to three, they are the whole answer.
    for (const topK of [1, 2, 3]) {
      queries.length = 0;
      const pruned = await index('always').search(scope, { query: 'zephyr common', topK });
      // One read of the statistics, one pruned statement that was exact: the plain search never ran.
      expect(queries).toEqual(['postgresKeywordIndex.searchStatistics', 'postgresKeywordIndex.searchPruned']);
      expect(pruned.length).toBe(topK);
      expect(bare(pruned)).toEqual(bare(memory.search('zephyr common', { topK })));
    }
  });

  it("answers in one round trip under 'auto' while the terms' postings are few (a SciFact-sized scope)", async () => {
    for (const query of QUERIES) {
      queries.length = 0;
      const found = await index('auto').search(scope, { query, topK: 5 });
      expect(bare(found)).toEqual(bare(memory.search(query, { topK: 5 })));
      // The plain statement alone: it returned the statistics too, and they said not to prune.
      expect(queries).toEqual(['postgresKeywordIndex.search']);
    }
  });

  it('gives the scores and order of the unpruned search and of the memory index, whether or not it can prune', async () => {
    const outcomes = new Set<string>();
    for (const query of QUERIES) {
      for (const topK of [1, 3, 10, 50]) {
        queries.length = 0;
        const pruned = bare(await index('always').search(scope, { query, topK }));
        outcomes.add(queries.includes('postgresKeywordIndex.search') ? 'fell back' : 'pruned');
        expect(pruned, `${query} top ${topK}`).toEqual(
          bare(await index('never').search(scope, { query, topK })),
        );
        expect(pruned, `${query} top ${topK}`).toEqual(bare(memory.search(query, { topK })));
      }
    }
    // Both paths were exercised: queries the pruned statement settled, and ones it handed on.
    expect([...outcomes].sort()).toEqual(['fell back', 'pruned']);
  });

  it('bulkLoad into the empty table built the postings key after the load, and ensureSchema keeps it', async () => {
    expect(keyedDuringLoad).toBe(false);
    expect(loaded?.indexBuiltAfter).toBe(true);
    expect(await postingsKeyed()).toBe(true);
    await index('never').ensureSchema();
    expect(await postingsKeyed()).toBe(true);
    // A second bulk load into the filled table keeps the key throughout.
    const again = await index('never').bulkLoad(async () => postingsKeyed());
    expect(again).toMatchObject({ result: true, indexBuiltAfter: false });
  });

  it('keeps ties in id order when many chunks score the same', async () => {
    // Every chunk with `often` and the same length scores alike: the top 3 are decided by id alone.
    const query = 'often';
    const pruned = bare(await index('always').search(scope, { query, topK: 3 }));
    expect(pruned).toEqual(bare(memory.search(query, { topK: 3 })));
    expect(new Set(pruned.map((match) => match.score)).size).toBe(1);
  });
});
