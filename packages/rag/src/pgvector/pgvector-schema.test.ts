import { ConfigurationError, type Scope } from '@neptune/core';
import { rowsOf } from '@neptune/core/postgres/drizzle';
import { randomTestId } from '@neptune/core/testing';
import { getTableName, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgvectorMigrationSql } from './migration-sql';
import { type PgvectorStoreOptions, pgvectorStore } from './pgvector-store';
import { type PgliteDatabase, startPgliteDatabase } from './testing/pglite-database';
import { databaseTableShape, drizzleTableShape } from './testing/table-shape';

let database: PgliteDatabase;
beforeAll(async () => {
  database = await startPgliteDatabase();
});
afterAll(() => database.close());

/** A store on its own fresh table, so tests never see each other's rows. */
async function freshStore(options: Partial<PgvectorStoreOptions> = {}) {
  const store = pgvectorStore({
    db: database.db,
    dimensions: 4,
    tableName: randomTestId('chunks_').toLowerCase(),
    ...options,
  });
  await store.ensureSchema();
  return store;
}

const acme: Scope = { workspaceId: 'acme' };

describe('pgvectorStore schema and migration SQL', () => {
  it('the migration SQL creates exactly the table the drizzle schema declares', async () => {
    const store = await freshStore({ schema: 'neptune', hnsw: { m: 8, efConstruction: 32 } });
    const table = `"neptune"."${getTableName(store.table)}"`;
    const declared = drizzleTableShape(store.table);
    expect(await databaseTableShape(database.db, table)).toEqual(declared);
    expect(declared.primaryKey).toEqual(['workspace_id', 'user_scope', 'id']);
    expect(declared.indexes.map((index) => `${index.method}(${index.columns})`)).toEqual([
      'hnsw(embedding)',
      'btree(workspace_id, user_id)',
    ]);
    expect(store.migrationSql).toContain('WITH (m = 8, ef_construction = 32)');
  });

  it('ensureSchema is idempotent, and pgvectorMigrationSql is the SQL it runs', async () => {
    const store = await freshStore();
    await store.upsert(acme, [{ id: 'a', vector: [1, 0, 0, 0] }]);
    await store.ensureSchema();
    expect(await store.count(acme)).toBe(1);
    const tableName = getTableName(store.table);
    expect(pgvectorMigrationSql({ dimensions: 4, tableName })).toBe(store.migrationSql);
    expect(store.migrationSql).toMatch(/^CREATE EXTENSION IF NOT EXISTS vector;/);
  });

  it('keeps vectors in their rows, uncompressed, on new tables and on tables made before', async () => {
    const storage = async (table: string) => {
      const result = await database.db.execute(
        sql.raw(
          `SELECT attstorage FROM pg_attribute WHERE attrelid = to_regclass('${table}') AND attname = 'embedding'`,
        ),
      );
      return (rowsOf(result)[0] as { attstorage: string } | undefined)?.attstorage;
    };
    const store = await freshStore({ dimensions: 1536 });
    const table = getTableName(store.table);
    expect(await storage(table)).toBe('p');
    expect(store.migrationSql).toContain('ALTER COLUMN embedding SET STORAGE PLAIN');
    // A 1,536-dimension vector (6 KB) stays in the row: nothing goes to the TOAST table (pgvector's default
    // storage moves it there).
    const vector = Array.from({ length: 1536 }, (_, index) => index % 7);
    await store.upsert(acme, [{ id: 'a', vector }]);
    const toast = await database.db.execute(
      sql.raw(
        `SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = to_regclass('${table}')`,
      ),
    );
    const toastTable = (rowsOf(toast)[0] as { toast: string }).toast;
    const toasted = async () =>
      (
        rowsOf(await database.db.execute(sql.raw(`SELECT count(*)::integer AS n FROM ${toastTable}`)))[0] as {
          n: number;
        }
      ).n;
    expect(await toasted()).toBe(0);
    // A long text beside it is what moves out, and the row still fits its page.
    const text = Array.from({ length: 2000 }, (_, index) => `w${(index * 7919) % 100_003}`).join(' ');
    await store.upsert(acme, [{ id: 'b', vector, text }]);
    expect(await toasted()).toBeGreaterThan(0);
    expect((await store.get(acme, ['b']))[0]?.text).toBe(text);
    // A table of an earlier release (pgvector's default, EXTERNAL) is switched by ensureSchema().
    await database.db.execute(sql.raw(`ALTER TABLE ${table} ALTER COLUMN embedding SET STORAGE EXTERNAL`));
    expect(await storage(table)).toBe('e');
    await store.ensureSchema();
    expect(await storage(table)).toBe('p');
    expect(await store.count(acme)).toBe(2);
  });

  it('a missing table fails with a ConfigurationError that says to run ensureSchema()', async () => {
    const store = pgvectorStore({ db: database.db, dimensions: 4, tableName: 'never_created' });
    const failure = await store.upsert(acme, [{ id: 'a', vector: [1, 0, 0, 0] }]).catch((error) => error);
    expect(ConfigurationError.isInstance(failure)).toBe(true);
    expect(failure.message).toContain('ensureSchema()');
    const search = await store.search(acme, { query: 'words', topK: 1 }).catch((error) => error);
    expect(ConfigurationError.isInstance(search)).toBe(true);
  });

  it('a table made for other dimensions fails with a ConfigurationError naming both', async () => {
    const store = await freshStore({ dimensions: 4 });
    const tableName = getTableName(store.table);
    const wrong = pgvectorStore({ db: database.db, dimensions: 8, tableName });
    const failure = await wrong
      .query(acme, { vector: new Array(8).fill(1), topK: 1 })
      .catch((error) => error);
    expect(ConfigurationError.isInstance(failure)).toBe(true);
    expect(failure.message).toMatch(/vector\(4\).*dimensions: 8/);
  });

  it('refuses options it cannot honour, naming the option', () => {
    const invalid: [Record<string, unknown>, RegExp][] = [
      [{ db: {}, dimensions: 4 }, /db: must be a drizzle Postgres database/],
      [{ db: database.db, dimensions: 3072 }, /at most 2000 dimensions/],
      [{ db: database.db, dimensions: 4, tableName: 'Chunks; DROP TABLE x' }, /tableName/],
      [{ db: database.db, dimensions: 4, exactSearchThreshold: -1 }, /exactSearchThreshold/],
    ];
    for (const [options, message] of invalid) {
      expect(() => pgvectorStore(options as never)).toThrow(message);
      try {
        pgvectorStore(options as never);
      } catch (error) {
        expect(ConfigurationError.isInstance(error)).toBe(true);
      }
    }
  });
});
