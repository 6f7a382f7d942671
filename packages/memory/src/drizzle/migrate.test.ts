import { join } from 'node:path';
import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { rowsOf } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../scripts/render-migrations-module';
import { type PgliteTestDatabase, startPgliteTestDatabase } from '../../test/helpers/pglite-test-database';
import { migrate, rollback } from './migrate';
import { memoryMigrations } from './migrations';

const tables = async (db: PostgresDatabase) =>
  rowsOf(
    await db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`),
  ).map((row) => row.tablename);

describe('migrations', () => {
  it('embed exactly the SQL drizzle-kit generated (run db:embed after db:generate)', () => {
    expect(memoryMigrations).toEqual(readMigrations(join(import.meta.dirname, '..', '..', 'drizzle')));
  });

  describe('on PGlite', () => {
    let database: PgliteTestDatabase;
    beforeAll(async () => {
      database = await startPgliteTestDatabase();
    });
    afterAll(() => database.close());
    afterEach(() => database.client.exec('drop schema public cascade; create schema public'));

    it('applies once, records what it applied, and finds nothing to do the second time', async () => {
      expect(await migrate(database.db)).toEqual({ applied: ['0000_memory_tables'], alreadyApplied: [] });
      expect(await tables(database.db)).toEqual([
        'neptune_action_history',
        'neptune_conversations',
        'neptune_memory_consent',
        'neptune_memory_migrations',
        'neptune_messages',
        'neptune_suggestion_feedback',
      ]);
      expect(await migrate(database.db)).toEqual({ applied: [], alreadyApplied: ['0000_memory_tables'] });
    });

    it('creates the indexes the plan asks for', async () => {
      await migrate(database.db);
      const indexes = rowsOf(
        await database.db.execute(
          sql`select indexname, indexdef from pg_indexes where schemaname = 'public'`,
        ),
      );
      const definition = (name: string) => String(indexes.find((row) => row.indexname === name)?.indexdef);
      expect(definition('neptune_messages_workspace_user_created_idx')).toMatch(
        /\(workspace_id, user_id, created_at DESC\)/,
      );
      expect(definition('neptune_conversations_workspace_user_last_message_idx')).toMatch(
        /\(workspace_id, user_id, last_message_at DESC\)/,
      );
    });

    it('refuses a migration whose SQL changed after it was applied', async () => {
      await migrate(database.db);
      const edited = memoryMigrations.map((migration) => ({ ...migration, hash: 'f'.repeat(64) }));
      await expect(migrate(database.db, { migrations: edited })).rejects.toThrow(
        /applied with different SQL/,
      );
    });

    it('rolls back with the rollback scripts and migrates again', async () => {
      await migrate(database.db);
      expect(await rollback(database.db)).toEqual({ reverted: ['0000_memory_tables'] });
      expect(await tables(database.db)).toEqual(['neptune_memory_migrations']);
      expect(await migrate(database.db)).toEqual({ applied: ['0000_memory_tables'], alreadyApplied: [] });
    });

    it('applies nothing when a statement fails: the transaction rolls back', async () => {
      const broken = [
        ...memoryMigrations,
        {
          tag: '9999_broken',
          hash: 'x',
          statements: ['create table neptune_extra (id text)', 'select * from nowhere'],
          rollback: [],
        },
      ];
      await expect(migrate(database.db, { migrations: broken })).rejects.toThrow(/migrate failed/);
      expect(await tables(database.db)).toEqual([]);
    });
  });

  it('explains that neon-http cannot migrate, instead of failing obscurely', async () => {
    const neonHttpLike = {
      transaction: async () => {
        throw new Error('No transactions support in neon-http driver');
      },
    } as unknown as PostgresDatabase;
    await expect(migrate(neonHttpLike)).rejects.toThrow(/neon-serverless or drizzle-orm\/node-postgres/);
  });
});
