const MINUTE_MS = 60_000;

/** How long values of one kind live. */
export interface CacheKindPolicy {
  /** Fresh for this long, in milliseconds. */
  readonly ttlMs: number;
  /**
   * After `ttlMs`, served stale for up to this long while one refresh runs (and whenever the loader
   * fails), in milliseconds. At most `ttlMs`. Default 0: nothing is served past its TTL unless you say
   * so. Invalidated values are never served stale. The oldest value a caller can get is `ttlMs + graceMs`.
   */
  readonly graceMs?: number | undefined;
}

/**
 * The kinds the optimization plan names (section 1.1), with its TTLs. Grace is explicit and short, about
 * a tenth of the TTL: long enough to cover one background refresh (a loader takes seconds), so a caller
 * never waits for it, and short enough that the TTL stays the promise. A value that changed outside the
 * app (a calendar sync) is at most `ttlMs + graceMs` old; changes the app makes are invalidated at once.
 */
export const BUILT_IN_CACHE_KINDS = {
  /** CRM summaries: `context:crm:{workspaceId}`. At most 5 min 30 s old. */
  crm: { ttlMs: 5 * MINUTE_MS, graceMs: 30_000 },
  /** Calendar events, which move more often: `context:calendar:{workspaceId}`. At most 2 min 15 s old. */
  calendar: { ttlMs: 2 * MINUTE_MS, graceMs: 15_000 },
  /** Workspace intelligence, slow to compute and slow to change: `context:workspace:{workspaceId}`. At most 65 min old. */
  workspace: { ttlMs: 60 * MINUTE_MS, graceMs: 5 * MINUTE_MS },
  /** User preferences: `context:prefs:{workspaceId}:{userId}`. At most 16 min old. */
  prefs: { ttlMs: 15 * MINUTE_MS, graceMs: MINUTE_MS },
} as const satisfies Record<string, CacheKindPolicy>;

/** The kinds every cache knows without declaring them (`crm`, `calendar`, `workspace`, `prefs`...). */
export type BuiltInCacheKind = keyof typeof BUILT_IN_CACHE_KINDS;

/**
 * Longest life (TTL plus grace) of any entry: invalidation stamps are kept a little longer than this, so
 * an invalidated entry can never outlive the stamp that invalidates it.
 */
export const MAX_ENTRY_LIFETIME_MS = 7 * 24 * 60 * MINUTE_MS;
export const STAMP_TTL_MS = MAX_ENTRY_LIFETIME_MS + 60 * MINUTE_MS;
