/**
 * Rows per INSERT or DELETE statement: far under Postgres' 65,535 bind parameters at up to nine per row,
 * and small enough that one statement never holds locks for long.
 */
export const ROWS_PER_STATEMENT = 1000;

/**
 * Keeps the last record of each id, in first-seen order: one statement cannot insert the same key
 * twice (`ON CONFLICT DO UPDATE command cannot affect row a second time`), and writing a batch must
 * mean the same as writing its records one after the other.
 */
export function lastPerId<Record extends { readonly id: string }>(records: readonly Record[]): Record[] {
  const byId = new Map<string, Record>();
  for (const record of records) byId.set(record.id, record);
  return [...byId.values()];
}

export function inBatches<Item>(items: readonly Item[], size = ROWS_PER_STATEMENT): Item[][] {
  const batches: Item[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
