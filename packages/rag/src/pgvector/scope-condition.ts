import type { ScopeKeys } from '@neptune/core';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { KeywordChunkTable } from './chunk-table';

type ScopeColumns = Pick<KeywordChunkTable, 'workspaceId' | 'userId'>;

/** The values a row of this scope carries, from `scopeKeys()`: the one place scopes become filters. */
export function scopeValues(keys: ScopeKeys): { workspaceId: string; userId: string | null } {
  return { workspaceId: keys.filter.workspaceId, userId: keys.filter.userId };
}

/**
 * Rows of exactly this scope: a workspace scope sees its shared rows (`user_id IS NULL`), a user scope
 * only that user's. Written as plain equalities so the `(workspace_id, user_id)` index serves it.
 */
export function scopeCondition(table: ScopeColumns, keys: ScopeKeys): SQL {
  const { workspaceId, userId } = keys.filter;
  return and(
    eq(table.workspaceId, workspaceId),
    userId === null ? isNull(table.userId) : eq(table.userId, userId),
  ) as SQL;
}

/** Rows `clear(scope)` removes: a workspace scope takes its users' rows too; a user scope only its own. */
export function clearCondition(table: ScopeColumns, keys: ScopeKeys): SQL {
  return keys.filter.userId === null
    ? eq(table.workspaceId, keys.filter.workspaceId)
    : scopeCondition(table, keys);
}
