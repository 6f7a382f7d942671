import type { ScopeKeys } from '@neptune/core';
import { and, count, inArray, type SQL } from 'drizzle-orm';
import type { KeywordChunkTable } from './chunk-table';
import type { QueryRunner } from './query-runner';
import { inBatches } from './record-batches';
import { scopeCondition } from './scope-condition';

/**
 * Deletes the rows matching `where` and returns how many, counted in the database (a workspace may
 * hold millions of rows; returning every id to count them would ship them all to the client).
 */
export async function deleteRows(
  runner: QueryRunner,
  table: KeywordChunkTable,
  operation: string,
  keys: ScopeKeys,
  where: SQL,
): Promise<number> {
  const { db } = runner;
  const deleted = db
    .$with('deleted', { id: table.id })
    .as(db.delete(table).where(where).returning({ id: table.id }).getSQL());
  const [row] = await runner.run(
    operation,
    keys,
    () => db.with(deleted).select({ removed: count() }).from(deleted),
    (rows) => rows[0]?.removed ?? 0,
  );
  return Number(row?.removed ?? 0);
}

export async function deleteIds(
  runner: QueryRunner,
  table: KeywordChunkTable,
  operation: string,
  keys: ScopeKeys,
  ids: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const batch of inBatches([...new Set(ids)])) {
    removed += await deleteRows(
      runner,
      table,
      operation,
      keys,
      and(scopeCondition(table, keys), inArray(table.id, batch)) as SQL,
    );
  }
  return removed;
}
