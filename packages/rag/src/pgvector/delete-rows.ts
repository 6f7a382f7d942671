import type { ScopeKeys } from '@neptune/core';
import { exactScopeCondition, type QueryRunner } from '@neptune/core/postgres/drizzle';
import { and, inArray, type SQL } from 'drizzle-orm';
import type { Bm25TableNames } from './bm25-tables';
import { deleteIndexed } from './bm25-writes';
import type { KeywordChunkTable } from './chunk-table';
import { inBatches } from './record-batches';

/**
 * Deletes a scope's rows by id, a batch per statement, taking them out of the BM25 statistics in the
 * same statement; returns how many were there, counted in the database.
 */
export async function deleteIds(
  runner: QueryRunner,
  table: KeywordChunkTable,
  names: Bm25TableNames,
  operation: string,
  keys: ScopeKeys,
  ids: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const batch of inBatches([...new Set(ids)])) {
    removed += await deleteIndexed(
      runner,
      names,
      operation,
      keys,
      and(exactScopeCondition(table, keys), inArray(table.id, batch)) as SQL,
    );
  }
  return removed;
}
