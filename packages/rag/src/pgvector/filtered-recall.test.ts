import { cosineSimilarity, createTelemetryChannel, type NeptuneEventOf, type Scope } from '@neptune/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgvectorStore } from './pgvector-store';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';

/**
 * One table, one big workspace (20,000 rows) and one tiny one (20 rows): the case where an HNSW scan
 * with a WHERE clause silently returns too few rows, because the graph's nearest candidates all belong
 * to the big workspace.
 */
const DIMENSIONS = 16;
const BIG_ROWS = 20_000;
const TINY_ROWS = 20;
const TOP_K = 10;
const big: Scope = { workspaceId: 'big-tenant' };
const tiny: Scope = { workspaceId: 'tiny-tenant' };

function randomVectors(count: number, seed: number): number[][] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648 - 0.5;
  };
  return Array.from({ length: count }, () => Array.from({ length: DIMENSIONS }, next));
}

function bruteForceTopK(records: { id: string; vector: number[] }[], query: number[], k: number) {
  return records
    .map((record) => ({ id: record.id, score: cosineSimilarity(record.vector, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

describe('pgvectorStore: filtered recall for a small workspace in a large table (PGlite)', () => {
  let database: PgliteDatabase;
  const telemetry = createTelemetryChannel();
  const queries: string[] = [];
  /** Rows each statement returned, by name, for the last query. */
  const rowsOf = new Map<string, number>();
  telemetry.on('db-query', (event: NeptuneEventOf<'db-query'>) => {
    queries.push(event.name);
    rowsOf.set(event.name, event.rows ?? -1);
  });
  // A cheap graph (m = 8, ef_construction = 16) builds in about a second; efSearch 400 makes up for it.
  const layout = {
    dimensions: DIMENSIONS,
    tableName: 'recall_chunks',
    hnsw: { m: 8, efConstruction: 16, efSearch: 400 },
  };
  const bigRecords = randomVectors(BIG_ROWS, 7).map((vector, index) => ({ id: `big-${index}`, vector }));
  const tinyRecords = randomVectors(TINY_ROWS, 11).map((vector, index) => ({ id: `tiny-${index}`, vector }));
  const queryVectors = randomVectors(5, 13);

  beforeAll(async () => {
    database = await startPgliteDatabase();
    const store = pgvectorStore({ db: database.db, ...layout });
    await store.ensureSchema();
    // Load the big workspace before the HNSW index exists, then let ensureSchema() build it: inserting
    // 20,000 rows into a live graph takes about a minute in PGlite's WebAssembly build, one build ~2 s.
    await database.db.execute(sql.raw('DROP INDEX recall_chunks_embedding_idx'));
    await store.upsert(big, bigRecords);
    await store.ensureSchema();
    await store.upsert(tiny, tinyRecords);
    await database.db.execute(sql.raw('ANALYZE recall_chunks'));
  }, 120_000);
  afterAll(() => database.close());

  it('PGlite ships pgvector 0.8 or later, which has iterative index scans', async () => {
    const { rows } = await database.client.query<{ extversion: string }>(
      `SELECT extversion FROM pg_extension WHERE extname = 'vector'`,
    );
    const [major, minor] = (rows[0]?.extversion ?? '0.0').split('.').map(Number);
    expect(major! > 0 || minor! >= 8, `pgvector ${rows[0]?.extversion}`).toBe(true);
  });

  it('a plain HNSW query loses the tiny workspace’s rows (the failure this store avoids)', async () => {
    const query = `[${queryVectors[0]!.join(',')}]`;
    const found = await database.client.transaction(async (transaction) => {
      // Forbid the sort so the planner must answer ORDER BY ... LIMIT from the HNSW index, as it does
      // whenever it estimates the filter to keep many rows.
      await transaction.exec('SET LOCAL enable_sort = off');
      const plan = await transaction.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM recall_chunks WHERE workspace_id = $1 AND user_id IS NULL ORDER BY embedding <=> $2::vector LIMIT ${TOP_K}`,
        [tiny.workspaceId, query],
      );
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('recall_chunks_embedding_idx');
      const result = await transaction.query<{ id: string }>(
        `SELECT id FROM recall_chunks WHERE workspace_id = $1 AND user_id IS NULL ORDER BY embedding <=> $2::vector LIMIT ${TOP_K}`,
        [tiny.workspaceId, query],
      );
      return result.rows;
    });
    expect(found.length).toBeLessThan(TOP_K);
  });

  it('returns the tiny workspace’s exact top-k, as brute force does', async () => {
    const store = pgvectorStore({ db: database.db, ...layout, telemetry });
    for (const vector of queryVectors) {
      queries.length = 0;
      const matches = await store.query(tiny, { vector, topK: TOP_K });
      const expected = bruteForceTopK(tinyRecords, vector, TOP_K);
      expect(matches.map((match) => match.id)).toEqual(expected.map((match) => match.id));
      matches.forEach((match, index) => {
        expect(match.score).toBeCloseTo(expected[index]!.score, 4);
      });
      // One statement: the scope's size and its exact nearest rows together.
      expect(queries.filter((name) => name.includes('.query'))).toEqual([
        'pgvectorStore.query.exact-or-size',
      ]);
      expect(rowsOf.get('pgvectorStore.query.exact-or-size')).toBe(TOP_K);
    }
  });

  it('the exact path holds even when the planner would rather use the HNSW index', async () => {
    const store = pgvectorStore({ db: database.db, ...layout });
    // PGlite is one connection, so this session setting reaches the store's queries.
    await database.client.exec('SET enable_sort = off');
    try {
      const [vector] = queryVectors;
      const matches = await store.query(tiny, { vector: vector!, topK: TOP_K });
      expect(matches.map((match) => match.id)).toEqual(
        bruteForceTopK(tinyRecords, vector!, TOP_K).map((match) => match.id),
      );
    } finally {
      await database.client.exec('RESET enable_sort');
    }
  });

  it('a scope over exactSearchThreshold uses HNSW with iterative scans and still fills topK', async () => {
    const store = pgvectorStore({ db: database.db, ...layout, telemetry, exactSearchThreshold: 5 });
    for (const vector of queryVectors) {
      queries.length = 0;
      const matches = await store.query(tiny, { vector, topK: TOP_K });
      // The first statement only counted: its exact scan stayed behind the one-time filter.
      expect(queries.filter((name) => name.includes('.query'))).toEqual([
        'pgvectorStore.query.exact-or-size',
        'pgvectorStore.query.hnsw',
      ]);
      expect(rowsOf.get('pgvectorStore.query.exact-or-size')).toBe(0);
      expect(matches).toHaveLength(TOP_K);
      expect(matches.every((match) => match.id.startsWith('tiny-'))).toBe(true);
      const scores = matches.map((match) => match.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('the big workspace is searched through the HNSW index with good recall', async () => {
    const store = pgvectorStore({ db: database.db, ...layout, telemetry });
    let found = 0;
    const bigQueries = randomVectors(20, 17);
    for (const vector of bigQueries) {
      queries.length = 0;
      const matches = await store.query(big, { vector, topK: TOP_K });
      expect(queries).toContain('pgvectorStore.query.hnsw');
      const expected = new Set(bruteForceTopK(bigRecords, vector, TOP_K).map((match) => match.id));
      found += matches.filter((match) => expected.has(match.id)).length;
    }
    const recall = found / (TOP_K * bigQueries.length);
    // About 0.83 with this cheap graph on uniformly random vectors, the hardest case for HNSW.
    expect(recall, `recall@${TOP_K}`).toBeGreaterThanOrEqual(0.7);
  });
});
