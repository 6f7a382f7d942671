import type { Scope } from '@neptune/core';
import { type ScopeKeys, scopeKeys, ValidationError } from '@neptune/core';

/** Scope keys of a user scope; the `filter.userId` of the result is never null. */
export type UserScopeKeys = ScopeKeys & {
  readonly filter: { readonly workspaceId: string; readonly userId: string };
};

/**
 * Validates a scope that must name a user (conversations, memory and learning belong to one user) and
 * derives its keys. Throws `ScopeError` for a malformed scope and `ValidationError` when `userId` is missing.
 */
export function userScopeKeys(scope: Scope, what: string): UserScopeKeys {
  const keys = scopeKeys(scope);
  if (keys.filter.userId === null) {
    throw new ValidationError({
      message: `${what} needs a user scope: pass { workspaceId, userId }. Received a workspace scope ({ workspaceId: ${JSON.stringify(keys.scope.workspaceId)} }).`,
      details: { what },
    });
  }
  return keys as UserScopeKeys;
}

/** Validates a scope that may be a workspace scope (deletes, retention, aggregates) and derives its keys. */
export function anyScopeKeys(scope: Scope): ScopeKeys {
  return scopeKeys(scope);
}

/** Validates a scope that must be a workspace scope (workspace intelligence, workspace erasure). */
export function workspaceScopeKeys(scope: Scope, what: string): ScopeKeys {
  const keys = scopeKeys(scope);
  if (keys.filter.userId !== null) {
    throw new ValidationError({
      message: `${what} takes a workspace scope: pass { workspaceId } without userId (received userId ${JSON.stringify(keys.filter.userId)}).`,
      details: { what },
    });
  }
  return keys;
}
