import { ConfigurationError, ValidationError } from '@neptune/core';
import { describeKeywordIndexConformance, describeWithService, randomTestId } from '@neptune/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresKeywordMigrationSql } from './migration-sql';
import { pgvectorStore } from './pgvector-store';
import { postgresKeywordIndex } from './postgres-keyword-index';
import {
  expectedIds,
  FILTER_FIXTURE_FILTERS,
  FILTER_FIXTURE_RECORDS,
} from './testing/metadata-filter-fixture';
import { connectNodePostgres, type NodePostgresDatabase } from './testing/node-postgres-database';
import { databaseTableShape, drizzleTableShape } from './testing/table-shape';

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

    it('pgvectorStore on a Postgres without pgvector says so, and points to postgresKeywordIndex', async () => {
      const store = pgvectorStore({ db: database.db, schema, tableName: 'with_vectors', dimensions: 4 });
      const failure = await store.ensureSchema().catch((error) => error);
      expect(ConfigurationError.isInstance(failure)).toBe(true);
      expect(failure.message).toMatch(/pgvector extension is missing.*postgresKeywordIndex/s);
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
