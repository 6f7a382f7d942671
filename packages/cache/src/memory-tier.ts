import { LruMap, utf8ByteLength } from '@neptune/core';
import type { CacheEntry } from './cache-entry';

/** A first-tier entry: the stored entry plus what invalidation matches on. */
export interface MemoryTierEntry {
  readonly entry: CacheEntry;
  readonly kind: string;
  readonly workspaceId: string;
  readonly userId: string | undefined;
}

/** What an invalidation covers: a workspace (and all its users) or one user, and kinds or tags in it. */
export interface InvalidationTarget {
  readonly workspaceId: string;
  readonly userId?: string | undefined;
  readonly kinds?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
}

export interface MemoryTierOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Longest an entry stays in memory, in milliseconds, whatever its TTL: bounds staleness without a bus. */
  readonly maxTtlMs: number | undefined;
  readonly now: () => number;
}

/** True when an invalidation of `target` covers an entry of this workspace, user, kind and tags. */
export function covers(target: InvalidationTarget, item: MemoryTierEntry): boolean {
  if (item.workspaceId !== target.workspaceId) return false;
  if (target.userId !== undefined && item.userId !== target.userId) return false;
  if (target.kinds?.includes(item.kind)) return true;
  return target.tags?.some((tag) => item.entry.tags.includes(tag)) ?? false;
}

/**
 * The optional in-process first tier in front of a shared store. It holds encoded entries (so every hit
 * decodes a private copy, as from the store) in an LRU bounded by count and bytes. Other instances'
 * writes reach it only through the bus; without one, `maxTtlMs` bounds how stale it can be.
 */
export class MemoryTier {
  readonly #entries: LruMap<MemoryTierEntry>;
  readonly #options: MemoryTierOptions;

  constructor(options: MemoryTierOptions) {
    this.#options = options;
    this.#entries = new LruMap({
      maxEntries: options.maxEntries,
      maxBytes: options.maxBytes,
      now: options.now,
    });
  }

  get size(): number {
    return this.#entries.size;
  }

  get(localKey: string): MemoryTierEntry | undefined {
    return this.#entries.get(localKey);
  }

  set(localKey: string, item: MemoryTierEntry): void {
    const { maxTtlMs, now } = this.#options;
    const expiresAt =
      maxTtlMs === undefined ? item.entry.staleUntil : Math.min(item.entry.staleUntil, now() + maxTtlMs);
    this.#entries.set(
      localKey,
      item,
      utf8ByteLength(localKey) + utf8ByteLength(item.entry.text) + 64,
      expiresAt,
    );
  }

  delete(localKey: string): void {
    this.#entries.delete(localKey);
  }

  /** Drops every entry the target covers; returns how many. A scan, so invalidation stays off the hit path. */
  invalidate(target: InvalidationTarget): number {
    let dropped = 0;
    for (const [key, item] of this.#entries.entries()) {
      if (covers(target, item)) {
        this.#entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.#entries.clear();
  }
}
