import type { ScopeKeys } from '@neptune/core';
import type { ScopedPartitions } from './scoped-partitions';

/**
 * Removes records from the scope's own partition with `remove` (which returns how many it removed), then
 * drops the partition if that emptied it. A scope without a partition has nothing to remove: 0.
 */
export function removeFromPartition<Partition extends { readonly size: number }>(
  partitions: ScopedPartitions<Partition>,
  keys: ScopeKeys,
  remove: (partition: Partition) => number,
): number {
  const partition = partitions.find(keys);
  if (partition === undefined) return 0;
  const removed = remove(partition);
  partitions.pruneIfEmpty(keys);
  return removed;
}

/** Drops every partition a `clear` of the scope covers and returns how many records they held. */
export function clearPartitions<Partition extends { readonly size: number }>(
  partitions: ScopedPartitions<Partition>,
  keys: ScopeKeys,
): number {
  return partitions.remove(keys).reduce((total, partition) => total + partition.size, 0);
}
