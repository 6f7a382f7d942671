import type { KeywordMatch, Scope } from '@neptune/core';
import { randomTestId } from '@neptune/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bm25Index } from '../keyword/bm25-index';
import { postgresKeywordIndex } from './postgres-keyword-index';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';

let database: PgliteDatabase;
const index = () => postgresKeywordIndex({ db: database.db, tableName: 'bm25_property' });
/** The same table searched with MaxScore on every query, however short its postings. */
const pruned = () =>
  postgresKeywordIndex({ db: database.db, tableName: 'bm25_property', keywordPruning: 'always' });
beforeAll(async () => {
  database = await startPgliteDatabase();
  await index().ensureSchema();
});
afterAll(() => database.close());

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'running', 'runs', 'the', "ranking's", 'Epsilon'];
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const QUERIES = ['alpha', 'beta gamma', 'delta delta run', 'alpha beta gamma delta epsilon ranking the'];

const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((words) => words.join(' '));
const operation = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    documents: fc.array(fc.record({ id: fc.constantFrom(...IDS), text }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    ids: fc.array(fc.constantFrom(...IDS), { minLength: 1, maxLength: 3 }),
  }),
  // Another user of the same workspace writes too: none of it may reach the workspace's statistics.
  fc.record({
    kind: fc.constant('neighbour' as const),
    documents: fc.array(fc.record({ id: fc.constantFrom(...IDS), text }), { minLength: 1, maxLength: 3 }),
  }),
);

const bare = (matches: readonly KeywordMatch[]) => matches.map(({ id, score }) => ({ id, score }));

describe('postgresKeywordIndex BM25 statistics (PGlite)', () => {
  it('after any sequence of adds, replaces and removes, scores exactly as an index built from scratch and as the memory index', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 12 }), async (operations) => {
        const workspaceId = randomTestId('ws');
        const incremental: Scope = { workspaceId };
        const neighbour: Scope = { workspaceId, userId: 'neighbour' };
        const final = new Map<string, string>();
        for (const step of operations) {
          if (step.kind === 'add') {
            await index().add(incremental, step.documents);
            for (const document of step.documents) final.set(document.id, document.text);
          } else if (step.kind === 'remove') {
            await index().remove(incremental, step.ids);
            for (const id of step.ids) final.delete(id);
          } else {
            await index().add(neighbour, step.documents);
          }
        }
        const documents = [...final].map(([id, value]) => ({ id, text: value }));
        const fresh: Scope = { workspaceId: randomTestId('ws') };
        await index().add(fresh, documents);
        const memory = new Bm25Index();
        memory.add(documents);
        for (const query of QUERIES) {
          const found = bare(await index().search(incremental, { query, topK: 10 }));
          expect(found, query).toEqual(bare(await index().search(fresh, { query, topK: 10 })));
          expect(found, query).toEqual(bare(memory.search(query, { topK: 10 })));
          for (const topK of [2, 10])
            expect(
              bare(await pruned().search(incremental, { query, topK })),
              `${query} top ${topK} pruned`,
            ).toEqual(bare(memory.search(query, { topK })));
        }
        await index().clear({ workspaceId });
        await index().clear(fresh);
      }),
      { numRuns: 30 },
    );
    // Clearing every workspace took every statistic with it.
    const { rows } = await database.client.query<{ left: number }>(
      `SELECT (SELECT count(*) FROM bm25_property_postings) + (SELECT count(*) FROM bm25_property_df)
         + (SELECT count(*) FROM bm25_property_scopes) AS left`,
    );
    expect(Number(rows[0]!.left)).toBe(0);
  }, 120_000);
});
