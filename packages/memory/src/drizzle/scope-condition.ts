import type { ScopeKeys } from '@neptune/core';
import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Rows a scope covers, from `scopeKeys()`: a user scope its own rows, a workspace scope every user's rows
 * of the workspace. Plain equalities, so the `(workspace_id, user_id, …)` indexes serve it.
 */
export function scopeCondition(table: { workspaceId: PgColumn; userId: PgColumn }, keys: ScopeKeys): SQL {
  const { workspaceId, userId } = keys.filter;
  return (
    userId === null
      ? eq(table.workspaceId, workspaceId)
      : and(eq(table.workspaceId, workspaceId), eq(table.userId, userId))
  ) as SQL;
}
