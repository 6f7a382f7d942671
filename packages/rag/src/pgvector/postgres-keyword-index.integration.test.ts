import { ConfigurationError, ValidationError } from '@neptune/core';
import { describeKeywordIndexConformance, describeWithService, randomTestId } from '@neptune/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBm25RollbackSql, postgresKeywordMigrationSql } from './migration-sql';
import { pgvectorStore } from './pgvector-store';
import { postgresKeywordIndex } from './postgres-keyword-index';
import {
  expectedIds,
  FILTER_FIXTURE_FILTERS,
  FILTER_FIXTURE_RECORDS,
} from './testing/metadata-filter-fixture';
import { connectNodePostgres, type NodePostgresDatabase } from './testing/node-postgres-database';
import { databaseTableShape, drizzleTableShape, type TableShape } from './testing/table-shape';

/**
 * The relational and full-text half of the Postgres stores, on a real Postgres (Debian's 15, without
 * pgvector) through node-postgres: the same SQL `pgvectorStore` runs for keywords, scopes and filters.
 * Everything lives in a schema of its own, dropped afterwards.
 */
describeWithService('DATABASE_URL', 'postgresKeywordIndex on Postgres (DATABASE_URL)', (url) => {
  let database: NodePostgresDatabase;
  const schema = randomTestId('neptune_').toLowerCase();
  const index = () => postgresKeywordIndex({ db: database.db, schema });
  beforeAll(async () => {
    database = await connectNodePostgres(url);
    await index().ensureSchema();
  });
  afterAll(async () => {
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await database?.close();
  });

  describeKeywordIndexConformance({
    name: 'Postgres BM25 (node-postgres)',
    create: index,
    capabilities: { stemming: true, bm25: true },
  });

  describe('schema and SQL on a real Postgres', () => {
    it('the migration SQL creates exactly the table the drizzle schema declares, without pgvector', async () => {
      expect(await databaseTableShape(database.db, `"${schema}"."neptune_chunks"`)).toEqual(
        drizzleTableShape(index().table),
      );
      expect(postgresKeywordMigrationSql({ schema })).toBe(index().migrationSql);
      expect(index().migrationSql).not.toMatch(/EXTENSION|\bvector\b|hnsw/);
      await index().ensureSchema();
    });

    it('metadata filters select exactly what matchesFilter selects', async () => {
      const scope = { workspaceId: randomTestId('ws') };
      await index().add(
        scope,
        FILTER_FIXTURE_RECORDS.map((record) => ({ ...record, text: `fixture record ${record.id}` })),
      );
      for (const filter of FILTER_FIXTURE_FILTERS) {
        const matches = await index().search(scope, { query: 'fixture', topK: 100, filter });
        expect(matches.map((match) => match.id).sort(), JSON.stringify(filter)).toEqual(expectedIds(filter));
      }
      expect(await index().clear(scope)).toBe(FILTER_FIXTURE_RECORDS.length);
    });

    it('query words cannot inject tsquery syntax', async () => {
      const scope = { workspaceId: randomTestId('ws') };
      await index().add(scope, [{ id: 'a', text: 'alpha beta' }]);
      for (const query of ["alpha' | !beta", 'alpha:* & (beta', '!!alpha <-> beta', "'); DROP TABLE x; --"]) {
        const matches = await index().search(scope, { query, topK: 5 });
        expect(
          matches.map((match) => match.id),
          query,
        ).toEqual(query.includes('alpha') ? ['a'] : []);
      }
      await index().clear(scope);
    });

    it('pgvectorStore says when pgvector is missing, and works beside the keyword index when it is there', async () => {
      // Debian's Postgres has no pgvector; a CI or developer Postgres may. Whichever this one is, check it.
      const available = (await database.query(
        `SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`,
      )) as { rowCount: number };
      const store = pgvectorStore({ db: database.db, schema, tableName: 'with_vectors', dimensions: 4 });
      if (available.rowCount === 0) {
        const failure = await store.ensureSchema().catch((error) => error);
        expect(ConfigurationError.isInstance(failure)).toBe(true);
        expect(failure.message).toMatch(/pgvector extension is missing.*postgresKeywordIndex/s);
        return;
      }
      await store.ensureSchema();
      const scope = { workspaceId: randomTestId('ws') };
      await store.upsert(scope, [{ id: 'a', vector: [1, 0, 0, 0], text: 'vectors and keywords' }]);
      expect((await store.search(scope, { query: 'keyword', topK: 1 })).map((match) => match.id)).toEqual([
        'a',
      ]);
      expect((await store.query(scope, { vector: [1, 0, 0, 0], topK: 1 })).map((match) => match.id)).toEqual([
        'a',
      ]);
    });

    it('concurrent writers of one scope keep its statistics exact', async () => {
      const scope = { workspaceId: randomTestId('ws') };
      const fresh = { workspaceId: randomTestId('ws') };
      const texts = (round: number) =>
        Array.from({ length: 12 }, (_, n) => ({
          id: `d${n}`,
          text: `shared term${n % 3} round${round} ${'pad '.repeat(n)}`,
        }));
      // Four connections add, replace and remove the same ids at once; the last word on each id is the same.
      await Promise.all([1, 2, 3, 4].map((round) => index().add(scope, texts(round))));
      await Promise.all([index().remove(scope, ['d0', 'd1']), index().add(scope, texts(5).slice(2))]);
      await index().add(fresh, texts(5).slice(2));
      for (const query of ['shared', 'term1 round5', 'round1 pad']) {
        const incremental = await index().search(scope, { query, topK: 20 });
        expect(incremental, query).toEqual(await index().search(fresh, { query, topK: 20 }));
      }
      await index().clear(scope);
      await index().clear(fresh);
    });

    it('migrates a full-text table of an earlier release in place, and the rollback restores it', async () => {
      const tableName = 'earlier_release';
      const earlier = postgresKeywordIndex({ db: database.db, schema, tableName });
      await earlier.ensureSchema();
      await database.query(postgresBm25RollbackSql({ schema, tableName }));
      const scope = { workspaceId: randomTestId('ws') };
      const rows = [
        ['a', 'quantum computing'],
        ['b', 'quantum chemistry and biology'],
        ['c', null],
      ];
      for (const [id, text] of rows) {
        await database.query(
          `INSERT INTO "${schema}"."${tableName}" (workspace_id, id, text) VALUES ('${scope.workspaceId}', '${id}', ${text === null ? 'NULL' : `'${text}'`})`,
        );
      }
      await earlier.ensureSchema();
      const fresh = { workspaceId: randomTestId('ws') };
      await earlier.add(fresh, [
        { id: 'a', text: 'quantum computing' },
        { id: 'b', text: 'quantum chemistry and biology' },
      ]);
      const migrated = await earlier.search(scope, { query: 'quantum', topK: 5 });
      expect(migrated.map((match) => match.id)).toEqual(['a', 'b']);
      expect(migrated.map((match) => match.score)).toEqual(
        (await earlier.search(fresh, { query: 'quantum', topK: 5 })).map((match) => match.score),
      );
      // Added columns come last in a migrated table; otherwise it is the table the schema declares.
      const byName = (shape: TableShape) => ({
        ...shape,
        columns: [...shape.columns].sort((left, right) => left.name.localeCompare(right.name)),
      });
      expect(byName(await databaseTableShape(database.db, `"${schema}"."${tableName}"`))).toEqual(
        byName(drizzleTableShape(earlier.table)),
      );
    });

    it('Postgres errors become Neptune errors that say what to do', async () => {
      const scope = { workspaceId: randomTestId('ws') };
      const missing = postgresKeywordIndex({ db: database.db, schema, tableName: 'not_created' });
      const failure = await missing.search(scope, { query: 'x', topK: 1 }).catch((error) => error);
      expect(ConfigurationError.isInstance(failure)).toBe(true);
      expect(failure.message).toMatch(/not_created.*ensureSchema\(\)/s);
      const refused = await index()
        .add(scope, [{ id: 'a', text: 'nul \u0000 byte' }])
        .catch((error) => error);
      expect(ValidationError.isInstance(refused)).toBe(true);
      expect(await index().search(scope, { query: 'byte', topK: 1 })).toEqual([]);
    });
  });
});
