import type { Scope } from '@neptune/core';
import type { StampedStore } from './stamped-store';

const MOST_PENDING = 10_000;

const pendingId = (workspaceId: string, userId: string | undefined, stampKey: string) =>
  `${workspaceId}\u0000${userId ?? ''}\u0000${stampKey}`;

/**
 * Invalidations the store could not take (it was down). They are kept, in process, and written as soon
 * as a store call succeeds again, so that an entry written before the outage cannot come back valid.
 */
export class PendingInvalidations {
  readonly #items = new Map<string, { scope: Scope; label: string; stampKey: string }>();
  #flushing = false;

  get size(): number {
    return this.#items.size;
  }

  /**
   * True when an invalidation of one of these stamps, in the scope or its workspace, is still waiting:
   * entries read meanwhile predate it and must not be served.
   */
  blocks(scope: Scope, stampKeys: readonly string[]): boolean {
    if (this.#items.size === 0) return false;
    for (const stampKey of stampKeys) {
      if (this.#items.has(pendingId(scope.workspaceId, scope.userId, stampKey))) return true;
      if (scope.userId !== undefined && this.#items.has(pendingId(scope.workspaceId, undefined, stampKey)))
        return true;
    }
    return false;
  }

  add(scope: Scope, label: string, stampKeys: readonly string[]): void {
    for (const stampKey of stampKeys) {
      const id = pendingId(scope.workspaceId, scope.userId, stampKey);
      this.#items.delete(id);
      this.#items.set(id, { scope, label, stampKey });
    }
    // Past the bound the oldest are dropped; their entries still expire with their TTL.
    for (const id of this.#items.keys()) {
      if (this.#items.size <= MOST_PENDING) break;
      this.#items.delete(id);
    }
  }

  async flush(stamped: StampedStore): Promise<void> {
    if (this.#flushing || this.#items.size === 0) return;
    this.#flushing = true;
    try {
      for (const [id, { scope, label, stampKey }] of [...this.#items]) {
        if (!(await stamped.bump(scope, label, [stampKey]))) return;
        this.#items.delete(id);
      }
    } finally {
      this.#flushing = false;
    }
  }
}
