import { describeWithService } from '@neptune/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ana,
  bob,
  expectIntact,
  expectNothingOf,
  globexAna,
  readEverything,
  type ScenarioStores,
  scopedRecordStore,
  seedEveryStore,
} from '../test/helpers/erasure-scenario';
import { lockContention } from '../test/helpers/lock-contention';
import { type PostgresTestDatabase, startPostgresTestDatabase } from '../test/helpers/postgres-test-database';
import { startRedisTestStore } from '../test/helpers/redis-test-store';
import { truncateMemoryTables } from '../test/helpers/truncate-memory-tables';
import { createMemory } from './create-memory';
import { drizzleMemoryStores } from './drizzle/drizzle-memory-stores';
import { migrate } from './drizzle/migrate';
import { currentFacts } from './session/session-memory';

const TABLES = [
  'neptune_conversations',
  'neptune_messages',
  'neptune_action_history',
  'neptune_suggestion_feedback',
  'neptune_memory_consent',
];

describeWithService('DATABASE_URL', 'memory on Postgres (DATABASE_URL)', (databaseUrl) => {
  describeWithService('REDIS_URL', 'and Redis (REDIS_URL)', (redisUrl) => {
    let database: PostgresTestDatabase;
    let redis: ReturnType<typeof startRedisTestStore>;
    beforeAll(async () => {
      database = await startPostgresTestDatabase(databaseUrl);
      await migrate(database.db);
      redis = startRedisTestStore(redisUrl);
    });
    afterEach(async () => {
      await truncateMemoryTables(database.db);
      await redis.drop();
    });
    afterAll(async () => {
      await redis?.drop();
      await redis?.store.close();
      await database?.close();
    });

    function scenario(): ScenarioStores {
      const stores = drizzleMemoryStores({ db: database.db });
      const vectors = scopedRecordStore();
      const memory = createMemory({ consentDefaults: 'opt-out', ...stores, keyValue: redis.store });
      memory.onErase('vectors', (scope) => vectors.clear(scope));
      return { memory, actions: stores.actions, consent: stores.consent, keyValue: redis.store, vectors };
    }

    /** Rows of a workspace (and user) in every memory table, read with plain SQL. */
    async function rowsIn(workspaceId: string, userId?: string): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const table of TABLES) {
        const where = `workspace_id = '${workspaceId}'${userId === undefined ? '' : ` and user_id = '${userId}'`}`;
        const result = await database.query(`select count(*)::int as n from ${table} where ${where}`);
        counts[table] = Number(result.rows[0]!.n);
      }
      return counts;
    }
    const none = Object.fromEntries(TABLES.map((table) => [table, 0]));

    it('eraseUser leaves no row of the user in Postgres and no key in Redis; others are intact', async () => {
      const stores = scenario();
      await seedEveryStore(stores.memory, stores.keyValue, stores.vectors);
      expect(await redis.keys('ws:acme:user:ana:')).not.toEqual([]);
      const receipt = await stores.memory.eraseUser(ana);
      expect(receipt.total).toBeGreaterThan(0);
      expect(await rowsIn('acme', 'ana')).toEqual(none);
      expect(await redis.keys('ws:acme:user:ana:')).toEqual([]);
      expectNothingOf(await readEverything(stores, ana));
      expect(Object.values(await rowsIn('acme', 'bob')).every((count) => count > 0)).toBe(true);
      expect(Object.values(await rowsIn('globex', 'ana')).every((count) => count > 0)).toBe(true);
      expectIntact(await readEverything(stores, bob));
      expectIntact(await readEverything(stores, globexAna));
    });

    it('eraseWorkspace leaves nothing of the workspace and everything of another', async () => {
      const stores = scenario();
      await seedEveryStore(stores.memory, stores.keyValue, stores.vectors);
      await stores.memory.eraseWorkspace({ workspaceId: 'acme' });
      expect(await rowsIn('acme')).toEqual(none);
      expect(await redis.keys('ws:acme:')).toEqual([]);
      expectNothingOf(await readEverything(stores, bob));
      expectIntact(await readEverything(stores, globexAna));
      expect(await redis.keys('ws:globex:')).not.toEqual([]);
    });

    it('two processes remembering turns of one conversation at once lose no facts (Redis lock)', async () => {
      const first = createMemory({
        consentDefaults: 'opt-out',
        ...drizzleMemoryStores({ db: database.db }),
        keyValue: redis.store,
      });
      const second = createMemory({
        consentDefaults: 'opt-out',
        ...drizzleMemoryStores({ db: database.db }),
        keyValue: redis.store,
      });
      const subjects = ['budget', 'deadline', 'venue', 'headcount', 'owner', 'price', 'target', 'region'];
      await first.remember(ana, 'c1', { user: 'Hello.' });
      await Promise.all(
        subjects.map((subject, index) =>
          (index % 2 === 0 ? first : second).remember(ana, 'c1', {
            user: `The ${subject} is value-${index}.`,
          }),
        ),
      );
      const session = await second.getSessionMemory(ana, 'c1');
      expect(
        currentFacts(session!)
          .map((fact) => fact.subject)
          .sort(),
      ).toEqual([...subjects].sort());
      expect(session!.extractedThroughSequence).toBe(subjects.length + 1);
      expect(await redis.keys('ws:acme:user:ana:k:lock:')).toEqual([]);
    });

    it('the Redis lock makes a second process wait for the first', async () => {
      expect(await lockContention(redis.store)).toEqual([
        'first start',
        'first end',
        'second start',
        'second end',
      ]);
      expect(await redis.keys('ws:acme:user:ana:k:lock:')).toEqual([]);
    });

    it('keeps session memory in Redis with its TTL, and recalls through Postgres and Redis', async () => {
      const memory = createMemory({
        consentDefaults: 'opt-out',
        ...drizzleMemoryStores({ db: database.db }),
        keyValue: redis.store,
        sessionTtlMs: 3_600_000,
      });
      await memory.remember(ana, 'c1', { user: 'Our budget is $40k.', assistant: 'Noted.' });
      const [key] = await redis.keys('ws:acme:user:ana:k:session:');
      const ttlMs = await redis.store.client.pttl(key!);
      expect(ttlMs).toBeGreaterThan(3_000_000);
      expect(ttlMs).toBeLessThanOrEqual(3_600_000);
      const recalled = await memory.recall(ana, 'c1', { maxTokens: 200 });
      expect(recalled.facts.map((fact) => fact.text)).toEqual(['Our budget is $40k']);
      expect(recalled.messages.map((message) => message.content)).toEqual(['Our budget is $40k.', 'Noted.']);
    });
  });

  describe('migrate on Postgres', () => {
    it('two instances starting at once: one applies, the other waits and finds it done', async () => {
      const first = await startPostgresTestDatabase(databaseUrl);
      // A second pool on the same schema, as a second process would have.
      const [{ drizzle }, pg] = await Promise.all([import('drizzle-orm/node-postgres'), import('pg')]);
      const pool = new pg.default.Pool({
        connectionString: databaseUrl,
        max: 2,
        options: `-c search_path=${first.schema}`,
      });
      try {
        const results = await Promise.all([migrate(first.db), migrate(drizzle(pool))]);
        expect(results.map((result) => result.applied.length).sort()).toEqual([0, 1]);
        expect(results.map((result) => result.alreadyApplied.length).sort()).toEqual([0, 1]);
      } finally {
        await pool.end();
        await first.close();
      }
    });
  });
});
