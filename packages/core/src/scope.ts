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

/** Everything a backend needs to address one scope, derived in one place. */
export interface ScopeKeys {
  /** The checked scope: frozen, holding only `workspaceId` and (for a user scope) `userId`. */
  readonly scope: Scope;
  /** For a user scope, its workspace's checked scope; `undefined` for a workspace scope. */
  readonly workspace: Scope | undefined;
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

interface KnownWorkspace {
  readonly keys: ScopeKeys;
  readonly users: Map<string, ScopeKeys>;
}

/** Workspaces (and, per workspace, users) remembered before the memory is cleared and refilled. */
const MOST_REMEMBERED = 10_000;
/** The keys of every scope checked so far, by workspace id then user id. Ids are strings, so immutable. */
const known = new Map<string, KnownWorkspace>();

function keysOf(scope: Scope, workspace: Scope | undefined): ScopeKeys {
  const workspacePrefix = `ws:${scope.workspaceId}:`;
  const keyPrefix =
    scope.userId === undefined ? `${workspacePrefix}shared:` : `${workspacePrefix}user:${scope.userId}:`;
  return {
    scope,
    workspace,
    keyPrefix,
    workspacePrefix,
    namespace: scope.userId === undefined ? scope.workspaceId : `${scope.workspaceId}:${scope.userId}`,
    filter: { workspaceId: scope.workspaceId, userId: scope.userId ?? null },
    key: (...segments) => keyPrefix + segments.join(':'),
  };
}

/** The keys of a scope whose ids were checked before, read off the scope's current ids; else undefined. */
function rememberedKeys(scope: unknown): ScopeKeys | undefined {
  if (typeof scope !== 'object' || scope === null) return undefined;
  const { workspaceId, userId } = scope as Record<string, unknown>;
  const workspace = typeof workspaceId === 'string' ? known.get(workspaceId) : undefined;
  if (workspace === undefined) return undefined;
  if (userId === undefined) return workspace.keys;
  return typeof userId === 'string' ? workspace.users.get(userId) : undefined;
}

function remember(checked: Scope): ScopeKeys {
  if (known.size >= MOST_REMEMBERED) known.clear();
  let workspace = known.get(checked.workspaceId);
  if (workspace === undefined) {
    const shared = Object.freeze({ workspaceId: checked.workspaceId });
    workspace = { keys: keysOf(shared, undefined), users: new Map() };
    known.set(checked.workspaceId, workspace);
  }
  if (checked.userId === undefined) return workspace.keys;
  if (workspace.users.size >= MOST_REMEMBERED) workspace.users.clear();
  const keys = keysOf(checked, workspace.keys.scope);
  workspace.users.set(checked.userId, keys);
  return keys;
}

/**
 * The one constructor of scopes, and the only place their ids are checked. `Scope.of(input)` checks the
 * ids, returns a frozen scope, and derives its keys once; every later call for the same ids (from any
 * layer: cache, stores, memory, metrics) reads those keys without checking again, whether it passes the
 * returned scope or another object with the same ids. Throws `ScopeError` naming the field.
 */
export const Scope = {
  of(input: unknown): Scope {
    const remembered = rememberedKeys(input);
    if (remembered !== undefined) return remembered.scope;
    if (typeof input !== 'object' || input === null) {
      throw new ScopeError({
        message: `A scope must be an object like { workspaceId: 'acme' }, received ${describeValue(input)}.`,
      });
    }
    const { workspaceId, userId } = input as Record<string, unknown>;
    const checked: Scope =
      userId === undefined
        ? { workspaceId: checkId(workspaceId, 'workspaceId') }
        : { workspaceId: checkId(workspaceId, 'workspaceId'), userId: checkId(userId, 'userId') };
    return remember(Object.freeze(checked)).scope;
  },
};

/** Validates a scope and returns its frozen, checked copy. Throws `ScopeError` naming the field and what was wrong. */
export function validateScope(scope: unknown): Scope {
  return scopeKeys(scope as Scope).scope;
}

/**
 * Derives keys, namespaces and filters from a scope. The only place that does: a scope is checked (by
 * `Scope.of`) the first time its ids are seen, and its keys are remembered from then on.
 */
export function scopeKeys(scope: Scope): ScopeKeys {
  return rememberedKeys(scope) ?? rememberedKeys(Scope.of(scope))!;
}

/** True when two scopes address the same tenant and user. */
export function sameScope(a: Scope, b: Scope): boolean {
  if (typeof a !== 'object' || a === null) validateScope(a);
  if (typeof b !== 'object' || b === null) validateScope(b);
  return a.workspaceId === b.workspaceId && (a.userId ?? null) === (b.userId ?? null);
}
