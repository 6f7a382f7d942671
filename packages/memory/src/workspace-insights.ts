import type { Scope } from '@neptune/core';
import type { MemoryContext } from './memory-context';
import { workspaceScopeKeys } from './scope-guards';
import { aggregateWorkspacePatterns, type WorkspaceInsights } from './workspace/aggregate-workspace-patterns';

/** Key of the cached insights, in the workspace's shared scope of the key-value store. */
export const WORKSPACE_INSIGHTS_KEY = 'memory:workspace-insights';

function encode(insights: WorkspaceInsights): string {
  return JSON.stringify({ ...insights, generatedAt: insights.generatedAt.getTime() });
}

function decode(text: string | undefined): WorkspaceInsights | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as WorkspaceInsights & { generatedAt: number };
    return { ...parsed, generatedAt: new Date(parsed.generatedAt) };
  } catch {
    return undefined;
  }
}

/**
 * Workflow patterns shared by at least `workspace.minUsers` users of one workspace (k-anonymity),
 * computed on redacted action types from a bounded, recent slice of that workspace's history only, and
 * cached for `workspace.cacheTtlMs`. Users who opted out of learning have no history to contribute.
 * Takes a workspace scope.
 */
export async function workspaceInsights(context: MemoryContext, scope: Scope): Promise<WorkspaceInsights> {
  const keys = workspaceScopeKeys(scope, 'workspaceInsights');
  const cached = decode(await context.keyValue.get(keys.scope, WORKSPACE_INSIGHTS_KEY));
  if (cached !== undefined) return cached;
  const settings = context.settings.workspace;
  const now = context.now();
  const actions = await context.actions.listWorkspace(keys.scope, {
    since: new Date(now.getTime() - settings.lookbackMs),
    limit: settings.maxActions,
  });
  const insights = aggregateWorkspacePatterns(keys.filter.workspaceId, actions, {
    ...context.settings.patterns,
    minUsers: settings.minUsers,
    now,
  });
  await context.keyValue.set(keys.scope, WORKSPACE_INSIGHTS_KEY, encode(insights), {
    ttlMs: settings.cacheTtlMs,
  });
  return insights;
}
