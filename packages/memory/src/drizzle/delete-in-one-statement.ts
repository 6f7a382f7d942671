import type { ScopeKeys } from '@neptune/core';
import { type PostgresDatabase, type RunQuery, rowsOf } from '@neptune/core/postgres/drizzle';
import { type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/** Rows of one table to delete. */
export interface TableDeletion {
  readonly table: PgTable;
  readonly where: SQL;
}

/**
 * Deletes rows of two tables in a single statement, so both deletes see the same snapshot and commit
 * together without an interactive transaction (neon-http works too). Returns how many rows each lost, in
 * the order given.
 */
export async function deleteInOneStatement(
  { db, run }: { readonly db: PostgresDatabase; readonly run: RunQuery },
  operation: string,
  keys: ScopeKeys,
  first: TableDeletion,
  second: TableDeletion,
): Promise<[first: number, second: number]> {
  const result = await run(operation, keys, () =>
    db.execute(sql`
      with removed_first as (delete from ${first.table} where ${first.where} returning 1),
           removed_second as (delete from ${second.table} where ${second.where} returning 1)
      select (select count(*) from removed_first) as first_count,
             (select count(*) from removed_second) as second_count`),
  );
  const row = rowsOf(result)[0] ?? {};
  return [Number(row.first_count ?? 0), Number(row.second_count ?? 0)];
}
