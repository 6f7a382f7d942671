import { createCache } from '@neptune/cache';
import { type RedisKeyValueStore, redisKeyValueStore } from '@neptune/cache/redis';
import type { Scope } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import { createMemory } from '@neptune/memory';
import { drizzleMemoryStores, migrate } from '@neptune/memory/drizzle';
import { createKnowledgeBase } from '@neptune/rag';
import { postgresKeywordIndex } from '@neptune/rag/pgvector';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * Issue 15 item 5: after `eraseUser`, nothing derived from the user's words is left anywhere, checked the
 * way an auditor would: every Redis key under the run's prefix (key and value) and every row of every
 * Postgres table of the run's schema are searched for the user's distinctive strings and for the
 * vector and hash of the user's question. Another user's data in the same workspace must survive.
 */
describeWithService('DATABASE_URL', 'erasure across memory and a knowledge base (DATABASE_URL)', (dbUrl) => {
  describeWithService('REDIS_URL', 'and Redis (REDIS_URL)', (redisUrl) => {
    const prefix = `${randomTestId('neptune-erasure-')}:`;
    const schema = randomTestId('neptune_erasure_').toLowerCase();
    let pool: pg.Pool;
    let memoryStore: RedisKeyValueStore;
    let knowledgeStore: RedisKeyValueStore;
    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: dbUrl });
      await admin.connect();
      await admin.query(`create schema "${schema}"`);
      await admin.end();
      pool = new pg.Pool({ connectionString: dbUrl, max: 4, options: `-c search_path=${schema}` });
      await migrate(drizzle(pool));
      // Two stores on one Redis, as an app that gives its knowledge base its own namespace would have.
      memoryStore = redisKeyValueStore({ url: redisUrl, prefix: `${prefix}memory:` });
      knowledgeStore = redisKeyValueStore({ url: redisUrl, prefix: `${prefix}kb:` });
    });
    afterAll(async () => {
      const keys = await scanKeys();
      if (keys.length > 0) await memoryStore?.client.del(...keys);
      await Promise.all([memoryStore?.close(), knowledgeStore?.close()]);
      await pool?.query(`drop schema if exists "${schema}" cascade`);
      await pool?.end();
    });

    async function scanKeys(): Promise<string[]> {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, page] = await memoryStore.client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        found.push(...page);
        cursor = next;
      } while (cursor !== '0');
      return found;
    }

    /** Every key and value under the run's prefix, whatever the Redis type, as one text. */
    async function dumpRedis(): Promise<string> {
      const parts: string[] = [];
      for (const key of await scanKeys()) {
        const type = await memoryStore.client.type(key);
        let value: unknown;
        if (type === 'string') value = await memoryStore.client.get(key);
        else if (type === 'hash') value = await memoryStore.client.hgetall(key);
        else if (type === 'set') value = await memoryStore.client.smembers(key);
        else if (type === 'zset') value = await memoryStore.client.zrange(key, 0, -1);
        else if (type === 'list') value = await memoryStore.client.lrange(key, 0, -1);
        parts.push(key, JSON.stringify(value));
      }
      return parts.join('\n');
    }

    /** Every row of every table in the run's schema, as JSON text. */
    async function dumpPostgres(): Promise<string> {
      const tables = await pool.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1',
        [schema],
      );
      expect(tables.rows.length).toBeGreaterThan(3);
      const parts: string[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await pool.query(`select to_jsonb(t)::text as row from "${schema}"."${table_name}" t`);
        parts.push(...rows.rows.map((row) => String(row.row)));
      }
      return parts.join('\n');
    }

    it('eraseUser with the knowledge base hooked leaves no trace of the user in Redis or Postgres', async () => {
      const db = drizzle(pool);
      const memory = createMemory({
        consentDefaults: 'opt-out',
        ...drizzleMemoryStores({ db }),
        keyValue: memoryStore,
      });
      const embedder = offlineEmbedder();
      const knowledge = createKnowledgeBase({
        embedder,
        keywordIndex: postgresKeywordIndex({ db, schema }),
        store: knowledgeStore,
        cache: createCache({ store: knowledgeStore }),
      });
      memory.onErase('knowledge-base', (scope) => knowledge.erase(scope));
      await postgresKeywordIndex({ db, schema }).ensureSchema();

      const ana: Scope = { workspaceId: 'acme', userId: 'ana' };
      const bob: Scope = { workspaceId: 'acme', userId: 'bob' };
      const workspace: Scope = { workspaceId: 'acme' };
      await knowledge.ingest(workspace, [
        { id: 'refunds', text: 'Refunds are paid within five working days of a request to billing.' },
      ]);
      const question = (who: string) => `How do refunds for the ${who} marmalade subscription work?`;
      for (const [scope, who] of [
        [ana, 'zephyrquokka'],
        [bob, 'bramblewhistle'],
      ] as const) {
        await memory.remember(scope, 'chat', { user: question(who), assistant: 'Within five days.' });
        await knowledge.ingest(scope, [
          { id: `${who}-notes`, text: `My notes on ${who} refunds and billing.` },
        ]);
        const result = await knowledge.retrieve(scope, question(who));
        expect(result.passages.length).toBeGreaterThan(0);
      }

      const anaQuestion = question('zephyrquokka');
      const [anaVector] = await embedder.embed([anaQuestion], { purpose: 'query' });
      const vectorText = Buffer.from(anaVector!.buffer).toString('base64');
      const before = `${await dumpRedis()}\n${await dumpPostgres()}`;
      // The traces the test looks for are really there before erasure (so their absence means something).
      expect(before).toContain('zephyrquokka');
      expect(before).toContain(vectorText);

      await memory.eraseUser(ana);

      const after = `${await dumpRedis()}\n${await dumpPostgres()}`;
      expect(after).not.toContain('zephyrquokka');
      expect(after).not.toContain(vectorText);
      expect(after).not.toMatch(/user:ana:/);
      // Bob and the workspace's own documents are untouched.
      expect(after).toContain('bramblewhistle');
      expect(after).toContain('Refunds are paid within five working days');
    });
  });
});
