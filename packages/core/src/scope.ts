import { describeValue, ScopeError } from './errors';

/**
 * Who a call acts for. Every store call takes one; keys, namespaces and SQL filters are derived from it
 * by `scopeKeys()` and nowhere else, so tenant isolation lives in one place.
 */
export interface Scope {
  /** The tenant. Nothing written under one workspace is ever read, listed, searched or deleted under another. */
  readonly workspaceId: string;
  /** Optional: narrows the scope to one user inside the workspace. */
  readonly userId?: string | undefined;
}

/** Longest id accepted, in characters. Long enough for UUIDs, ULIDs, emails and provider ids like `auth0|…`. */
export const MAX_SCOPE_ID_LENGTH = 128;

/**
 * Letters and digits in any script, and `_ - . @ + | =`. Everything that acts as a separator or pattern in
 * one of our backends (`:` in keys, `* ? [ ] \` in Redis patterns, `{ }` in cluster hash tags, `/`,
 * whitespace, quotes, control characters) is refused rather than escaped, so a derived key can never be
 * read as another tenant's.
 */
const ID_PATTERN = /^[\p{L}\p{N}_.@+|=-]+$/u;

function checkId(value: unknown, field: 'workspaceId' | 'userId'): string {
  if (typeof value !== 'string') {
    throw new ScopeError({
      message: `scope.${field} must be a string, received ${describeValue(value)}.`,
      details: { field },
    });
  }
  if (value.trim() === '') {
    throw new ScopeError({
      message: `scope.${field} is empty. Pass the id of the ${field === 'workspaceId' ? 'workspace (tenant)' : 'user'} this call acts for.`,
      details: { field },
    });
  }
  if (value.length > MAX_SCOPE_ID_LENGTH) {
    throw new ScopeError({
      message: `scope.${field} is ${value.length} characters long; the limit is ${MAX_SCOPE_ID_LENGTH}. Use a shorter stable id (a UUID or a slug).`,
      details: { field },
    });
  }
  if (!ID_PATTERN.test(value)) {
    throw new ScopeError({
      message: `scope.${field} ${describeValue(value)} contains a character that is not allowed. Ids may use letters, digits and _ - . @ + | = only (no ':', '*', '/', whitespace or other separators).`,
      details: { field },
    });
  }
  return value;
}

/** Validates a scope and returns a frozen copy. Throws `ScopeError` naming the field and what was wrong. */
export function validateScope(scope: unknown): Scope {
  if (typeof scope !== 'object' || scope === null) {
    throw new ScopeError({
      message: `A scope must be an object like { workspaceId: 'acme' }, received ${describeValue(scope)}.`,
    });
  }
  const { workspaceId, userId } = scope as Record<string, unknown>;
  const checked: Scope =
    userId === undefined
      ? { workspaceId: checkId(workspaceId, 'workspaceId') }
      : { workspaceId: checkId(workspaceId, 'workspaceId'), userId: checkId(userId, 'userId') };
  return Object.freeze(checked);
}

/** Everything a backend needs to address one scope, derived in one place. */
export interface ScopeKeys {
  readonly scope: Scope;
  /**
   * Key prefix for this exact scope, ending in `:`. Workspace-level and user-level data never share a
   * prefix: `ws:{workspaceId}:shared:` versus `ws:{workspaceId}:user:{userId}:`.
   */
  readonly keyPrefix: string;
  /** Prefix that covers the whole workspace, its users included: `ws:{workspaceId}:`. Used for erasure. */
  readonly workspacePrefix: string;
  /** A namespace name for services that partition by name (Upstash Vector namespaces, table partitions). */
  readonly namespace: string;
  /** Equality filter for SQL `WHERE` clauses and metadata filters. `userId` is `null` for workspace scope. */
  readonly filter: { readonly workspaceId: string; readonly userId: string | null };
  /** Joins the scope prefix and key segments: `ws:acme:shared:context:crm`. */
  key(...segments: string[]): string;
}

/** Derives keys, namespaces and filters from a (validated) scope. The only place that does. */
export function scopeKeys(scope: Scope): ScopeKeys {
  const valid = validateScope(scope);
  const workspacePrefix = `ws:${valid.workspaceId}:`;
  const keyPrefix =
    valid.userId === undefined ? `${workspacePrefix}shared:` : `${workspacePrefix}user:${valid.userId}:`;
  return {
    scope: valid,
    keyPrefix,
    workspacePrefix,
    namespace: valid.userId === undefined ? valid.workspaceId : `${valid.workspaceId}:${valid.userId}`,
    filter: { workspaceId: valid.workspaceId, userId: valid.userId ?? null },
    key: (...segments) => keyPrefix + segments.join(':'),
  };
}

/** True when two scopes address the same tenant and user. */
export function sameScope(a: Scope, b: Scope): boolean {
  if (typeof a !== 'object' || a === null) validateScope(a);
  if (typeof b !== 'object' || b === null) validateScope(b);
  return a.workspaceId === b.workspaceId && (a.userId ?? null) === (b.userId ?? null);
}
