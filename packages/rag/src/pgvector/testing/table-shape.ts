import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';

/** The parts of a table that the drizzle schema and the migration SQL must agree on. */
export interface TableShape {
  readonly columns: readonly { name: string; type: string; notNull: boolean; generated: boolean }[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly { name: string; method: string; columns: string }[];
}

/** What the drizzle table declares. */
export function drizzleTableShape(table: PgTable): TableShape {
  const config = getTableConfig(table);
  return {
    columns: config.columns.map((column) => ({
      name: column.name,
      type: column.getSQLType(),
      notNull: column.notNull,
      generated: column.generated !== undefined,
    })),
    primaryKey: config.primaryKeys[0]?.columns.map((column) => column.name) ?? [],
    indexes: config.indexes
      .map((index) => ({
        name: index.config.name ?? '',
        method: index.config.method ?? 'btree',
        columns: index.config.columns.map((column) => (column as { name: string }).name).join(', '),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

async function rows<Row>(db: PostgresDatabase, query: ReturnType<typeof sql>): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

/** What the database holds, read from the catalogue. `regclass` is the quoted, possibly qualified name. */
export async function databaseTableShape(db: PostgresDatabase, regclass: string): Promise<TableShape> {
  const columns = await rows<{ name: string; type: string; not_null: boolean; generated: string }>(
    db,
    sql`SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS not_null, attgenerated AS generated
        FROM pg_attribute WHERE attrelid = to_regclass(${regclass}) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
  );
  const primaryKey = await rows<{ name: string }>(
    db,
    sql`SELECT a.attname AS name FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
        JOIN pg_attribute a ON a.attnum = k.attnum
        WHERE i.indrelid = to_regclass(${regclass}) AND i.indisprimary AND a.attrelid = i.indrelid ORDER BY k.position`,
  );
  const indexes = await rows<{ name: string; method: string; columns: string }>(
    db,
    sql`SELECT c.relname AS name, am.amname AS method,
          (SELECT string_agg(a.attname, ', ' ORDER BY k.position) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
        WHERE i.indrelid = to_regclass(${regclass}) AND NOT i.indisprimary ORDER BY c.relname`,
  );
  return {
    columns: columns.map((column) => ({
      name: column.name,
      type: column.type,
      notNull: column.not_null,
      generated: column.generated !== '',
    })),
    primaryKey: primaryKey.map((column) => column.name),
    indexes: indexes.map((index) => ({ ...index })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
