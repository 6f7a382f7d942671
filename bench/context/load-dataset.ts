import { createIndexesSql, createTablesSql, type ExampleApp } from '@neptune/examples-context-sources';
import type { Dataset } from './generate-dataset';

const BATCH_ROWS = 5_000;

/**
 * Writes the data set twice: into `naiveSchema` with no index but the primary keys (the plan's starting
 * point) and into `indexedSchema` with the plan's indexes and one per source query. Both are analyzed,
 * so the planner knows what it is choosing between.
 */
export async function loadDataset(
  pool: ExampleApp['pool'],
  dataset: Dataset,
  schemas: { naiveSchema: string; indexedSchema: string },
): Promise<void> {
  const client = await pool.connect();
  try {
    for (const schema of [schemas.naiveSchema, schemas.indexedSchema]) {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`SET search_path = "${schema}"`);
      for (const statement of createTablesSql()) await client.query(statement);
    }
    await client.query(`SET search_path = "${schemas.naiveSchema}"`);
    for (const [name, table] of Object.entries(dataset.tables)) {
      const columns = table.columns.map((column) => `"${column}"`).join(', ');
      const unnest = table.types.map((type, index) => `$${index + 1}::${type}[]`).join(', ');
      for (let start = 0; start < table.rows.length; start += BATCH_ROWS) {
        const batch = table.rows.slice(start, start + BATCH_ROWS);
        const arrays = table.columns.map((_, column) => batch.map((row) => row[column]));
        await client.query(`INSERT INTO "${name}" (${columns}) SELECT * FROM unnest(${unnest})`, arrays);
      }
      await client.query(`INSERT INTO "${schemas.indexedSchema}"."${name}" SELECT * FROM "${name}"`);
    }
    await client.query(`SET search_path = "${schemas.indexedSchema}"`);
    for (const statement of createIndexesSql()) await client.query(statement);
    for (const schema of [schemas.naiveSchema, schemas.indexedSchema]) {
      for (const name of Object.keys(dataset.tables)) await client.query(`ANALYZE "${schema}"."${name}"`);
    }
  } finally {
    await client.query('RESET search_path');
    client.release();
  }
}

export async function dropSchemas(pool: ExampleApp['pool'], schemas: readonly string[]): Promise<void> {
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
