const MINUTE_MS = 60_000;

/** How long values of one kind live. */
export interface CacheKindPolicy {
  /** Fresh for this long, in milliseconds. */
  readonly ttlMs: number;
  /**
   * After `ttlMs`, served stale for up to this long while one refresh runs (and whenever the loader
   * fails). 0 turns stale serving off. Invalidated values are never served stale.
   */
  readonly graceMs?: number | undefined;
}

/**
 * The kinds the optimization plan names (section 1.1), with its TTLs. Grace equals the TTL: a value that
 * changed outside the app (a calendar sync) is at most one extra TTL old, and only while the refresh
 * runs; changes the app makes itself are invalidated at once.
 */
export const BUILT_IN_CACHE_KINDS = {
  /** CRM summaries: `context:crm:{workspaceId}`. */
  crm: { ttlMs: 5 * MINUTE_MS, graceMs: 5 * MINUTE_MS },
  /** Calendar events, which move more often: `context:calendar:{workspaceId}`. */
  calendar: { ttlMs: 2 * MINUTE_MS, graceMs: 2 * MINUTE_MS },
  /** Workspace intelligence, slow to compute and slow to change: `context:workspace:{workspaceId}`. */
  workspace: { ttlMs: 60 * MINUTE_MS, graceMs: 60 * MINUTE_MS },
  /** User preferences: `context:prefs:{workspaceId}:{userId}`. */
  prefs: { ttlMs: 15 * MINUTE_MS, graceMs: 15 * MINUTE_MS },
} as const satisfies Record<string, CacheKindPolicy>;

export type BuiltInCacheKind = keyof typeof BUILT_IN_CACHE_KINDS;

/**
 * Longest life (TTL plus grace) of any entry: invalidation stamps are kept a little longer than this, so
 * an invalidated entry can never outlive the stamp that invalidates it.
 */
export const MAX_ENTRY_LIFETIME_MS = 7 * 24 * 60 * MINUTE_MS;
export const STAMP_TTL_MS = MAX_ENTRY_LIFETIME_MS + 60 * MINUTE_MS;
