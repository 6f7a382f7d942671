import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ScopeKeys } from '../../scope';

/** The two columns every scoped Neptune table has: `workspace_id` and `user_id` (null for shared rows). */
export interface ScopeColumns {
  readonly workspaceId: PgColumn;
  readonly userId: PgColumn;
}

/** The values a row of this scope carries, from `scopeKeys()`: `userId` is null for a workspace's shared rows. */
export function scopeValues(keys: ScopeKeys): { workspaceId: string; userId: string | null } {
  return { workspaceId: keys.filter.workspaceId, userId: keys.filter.userId };
}

/**
 * Rows of exactly this scope: a workspace scope sees only its shared rows (`user_id IS NULL`), a user
 * scope only that user's. Plain equalities, so a `(workspace_id, user_id, …)` index serves it.
 */
export function exactScopeCondition(table: ScopeColumns, keys: ScopeKeys): SQL {
  const { workspaceId, userId } = keys.filter;
  return and(
    eq(table.workspaceId, workspaceId),
    userId === null ? isNull(table.userId) : eq(table.userId, userId),
  ) as SQL;
}

/**
 * Rows a scope covers: a user scope its own rows, a workspace scope every row of the workspace (shared
 * and every user's). What reading a whole workspace and erasing a scope (`clear`, `deleteScope`) use.
 */
export function coveredScopeCondition(table: ScopeColumns, keys: ScopeKeys): SQL {
  const { workspaceId, userId } = keys.filter;
  return (
    userId === null
      ? eq(table.workspaceId, workspaceId)
      : and(eq(table.workspaceId, workspaceId), eq(table.userId, userId))
  ) as SQL;
}
