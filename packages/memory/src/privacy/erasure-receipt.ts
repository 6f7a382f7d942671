import { sha256Hex } from '@neptune/core';

/** One store's part of an erasure: how many records went, and a digest of which. */
export interface ErasureReceiptLine {
  readonly store: string;
  readonly count: number;
  /**
   * SHA-256 (hex) of `JSON.stringify([store, count, ids])`, the ids sorted: recompute it with
   * `erasureDigest` from your own list of ids to check the line. When the store cannot say which ids
   * it removed, `ids` is `[]` and the digest covers the count alone.
   */
  readonly digest: string;
  /** Whether the digest covers the removed ids (listed just before the deletion) or only the count. */
  readonly idsCovered: boolean;
}

/**
 * The record of an erasure of a user's or a workspace's data: what each store removed, and a digest to file.
 */
export interface ErasureReceipt {
  readonly kind: 'user' | 'workspace';
  readonly workspaceId: string;
  readonly userId?: string | undefined;
  readonly startedAt: Date;
  readonly completedAt: Date;
  /**
   * `erased` when something was removed; `nothing-left` when every store and hook ran and found nothing
   * of the scope (a second erasure, or a scope that never held data): success, not a failure.
   */
  readonly status: 'erased' | 'nothing-left';
  /** One line per store and hook, in the order they ran; counts are records removed. */
  readonly removed: readonly ErasureReceiptLine[];
  readonly total: number;
  /** SHA-256 (hex) over the kind, the scope and every line's digest: one value to file and compare. */
  readonly digest: string;
  /** What this erasure does not reach; an operator has to see to these. */
  readonly notCovered: readonly string[];
}

/** What `eraseUser` and `eraseWorkspace` cannot reach, stated on every receipt. */
export const ERASURE_NOT_COVERED: readonly string[] = Object.freeze([
  'stores neither memory nor a registered onErase hook knows (another key-value store, an app database, a search index)',
  'backups, replicas and point-in-time recovery of the databases, until they expire',
  'logs, traces and error reports kept by your own sinks (Neptune puts no stored content in them)',
  'workspace aggregates already computed and handed out (the cached insights are deleted and recomputed without the user)',
  'copies held by model providers that were sent the text for embedding, extraction or answers',
]);

/** The digest of one receipt line; exported so that an auditor can recompute it from a list of ids. */
export function erasureDigest(store: string, count: number, ids: readonly string[]): Promise<string> {
  return sha256Hex(JSON.stringify([store, count, [...ids].sort()]));
}

export async function buildReceiptLine(
  store: string,
  count: number,
  ids: readonly string[] | undefined,
): Promise<ErasureReceiptLine> {
  return {
    store,
    count,
    digest: await erasureDigest(store, count, ids ?? []),
    idsCovered: ids !== undefined,
  };
}

export async function receiptDigest(
  kind: 'user' | 'workspace',
  workspaceId: string,
  userId: string | undefined,
  lines: readonly ErasureReceiptLine[],
): Promise<string> {
  return sha256Hex(JSON.stringify([kind, workspaceId, userId ?? null, lines.map((line) => line.digest)]));
}
