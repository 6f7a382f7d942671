import type { ScopeKeys } from '@neptune/core';

/**
 * One partition per scope, grouped by workspace. Partitions are addressed only by the prefixes
 * `scopeKeys()` derives, so a workspace's shared data, each of its users' data, and every other
 * workspace's data live in separate structures: no id, filter or query can reach across them.
 */
export class ScopedPartitions<Partition extends { readonly size: number }> {
  private readonly workspaces = new Map<string, Map<string, Partition>>();

  constructor(private readonly create: () => Partition) {}

  find(keys: ScopeKeys): Partition | undefined {
    return this.workspaces.get(keys.workspacePrefix)?.get(keys.keyPrefix);
  }

  findOrCreate(keys: ScopeKeys): Partition {
    let workspace = this.workspaces.get(keys.workspacePrefix);
    if (workspace === undefined) {
      workspace = new Map();
      this.workspaces.set(keys.workspacePrefix, workspace);
    }
    let partition = workspace.get(keys.keyPrefix);
    if (partition === undefined) {
      partition = this.create();
      workspace.set(keys.keyPrefix, partition);
    }
    return partition;
  }

  /** Drops the scope's partition once it holds nothing, so deleted users and workspaces cost no memory. */
  pruneIfEmpty(keys: ScopeKeys): void {
    const workspace = this.workspaces.get(keys.workspacePrefix);
    if (workspace === undefined || workspace.get(keys.keyPrefix)?.size !== 0) return;
    workspace.delete(keys.keyPrefix);
    if (workspace.size === 0) this.workspaces.delete(keys.workspacePrefix);
  }

  /**
   * Removes what a `clear` of the scope covers and returns it: for a user scope its own partition; for
   * a workspace scope the shared partition and every user's.
   */
  remove(keys: ScopeKeys): Partition[] {
    const workspace = this.workspaces.get(keys.workspacePrefix);
    if (workspace === undefined) return [];
    if (keys.scope.userId === undefined) {
      this.workspaces.delete(keys.workspacePrefix);
      return [...workspace.values()];
    }
    const partition = workspace.get(keys.keyPrefix);
    if (partition === undefined) return [];
    workspace.delete(keys.keyPrefix);
    if (workspace.size === 0) this.workspaces.delete(keys.workspacePrefix);
    return [partition];
  }
}
