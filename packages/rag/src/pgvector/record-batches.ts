/**
 * Rows per INSERT or DELETE statement: far under Postgres' 65,535 bind parameters at up to nine per row,
 * and small enough that one statement never holds locks for long.
 */
export const ROWS_PER_STATEMENT = 1000;

export function inBatches<Item>(items: readonly Item[], size = ROWS_PER_STATEMENT): Item[][] {
  const batches: Item[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
