import { type Scope, scopeKeys } from '@neptune/core';

/** A validated scope, its key prefix, and for a user scope its workspace's scope. */
export interface KnownScope {
  readonly scope: Scope;
  readonly keyPrefix: string;
  readonly workspace: Scope | undefined;
}

interface KnownWorkspace {
  readonly known: KnownScope;
  readonly users: Map<string, KnownScope>;
}

const MOST_REMEMBERED = 10_000;

/**
 * Remembers what `scopeKeys` derived for scopes already seen, so a cache hit validates a tenant's ids
 * once rather than on every call. Ids are strings, so a remembered answer is exactly what `scopeKeys`
 * would give again; anything not remembered goes through `scopeKeys`, which validates and throws.
 */
export class ScopeMemo {
  readonly #workspaces = new Map<string, KnownWorkspace>();

  of(scope: Scope): KnownScope {
    if (typeof scope === 'object' && scope !== null) {
      const { workspaceId, userId } = scope;
      const workspace = typeof workspaceId === 'string' ? this.#workspaces.get(workspaceId) : undefined;
      if (workspace !== undefined) {
        if (userId === undefined) return workspace.known;
        const user = typeof userId === 'string' ? workspace.users.get(userId) : undefined;
        if (user !== undefined) return user;
      }
    }
    return this.#learn(scope);
  }

  #learn(scope: Scope): KnownScope {
    const keys = scopeKeys(scope);
    const { workspaceId, userId } = keys.scope;
    if (this.#workspaces.size >= MOST_REMEMBERED) this.#workspaces.clear();
    let workspace = this.#workspaces.get(workspaceId);
    if (workspace === undefined) {
      const shared = scopeKeys({ workspaceId });
      workspace = {
        known: { scope: shared.scope, keyPrefix: shared.keyPrefix, workspace: undefined },
        users: new Map(),
      };
      this.#workspaces.set(workspaceId, workspace);
    }
    if (userId === undefined) return workspace.known;
    if (workspace.users.size >= MOST_REMEMBERED) workspace.users.clear();
    const user: KnownScope = {
      scope: keys.scope,
      keyPrefix: keys.keyPrefix,
      workspace: workspace.known.scope,
    };
    workspace.users.set(userId, user);
    return user;
  }
}
