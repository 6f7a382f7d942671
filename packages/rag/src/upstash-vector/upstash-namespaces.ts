import { ScopeError, type ScopeKeys } from '@neptune/core';

/**
 * Namespace names of one store. A scope's namespace is `scopeKeys(scope).namespace` (`acme` for the
 * workspace, `acme:ana` for a user in it) after the store's prefix, so records of different scopes are
 * in different namespaces and isolation holds by construction.
 */
export interface UpstashNamespaces {
  /** The namespace of exactly this scope. */
  of(keys: ScopeKeys): string;
  /** From a listing, the namespaces `clear(keys)` empties: a workspace's own and its users'. */
  toClear(keys: ScopeKeys, existing: readonly string[]): string[];
}

export function upstashNamespaces(prefix: string): UpstashNamespaces {
  function of(keys: ScopeKeys): string {
    const name = prefix + keys.namespace;
    // The client puts the namespace in the URL path as is, and URL parsing resolves "." and ".." away:
    // such a request would reach another namespace, so it is refused.
    if (name === '.' || name === '..') {
      throw new ScopeError({
        message: `workspaceId "${name}" cannot name an Upstash Vector namespace: the client sends it as a URL path segment, where "${name}" means another path. Use another workspace id, or set the store's namespacePrefix.`,
        details: { field: 'workspaceId' },
      });
    }
    return name;
  }
  return {
    of,
    toClear(keys, existing) {
      const own = of(keys);
      if (keys.scope.userId !== undefined) return existing.filter((name) => name === own);
      // Workspace ids cannot contain ':', so "acme:" starts only acme's user namespaces, never "acme-2"'s.
      return existing.filter((name) => name === own || name.startsWith(`${own}:`));
    },
  };
}
