import { ConfigurationError, NeptuneError, parseInput, type Scope, StoreError } from '@neptune/core';
import { z } from 'zod';
import type { MemoryContext } from '../memory-context';
import { userScopeKeys, workspaceScopeKeys } from '../scope-guards';
import { WORKSPACE_INSIGHTS_KEY } from '../workspace-insights';

/**
 * Erases what another package keeps for a scope (vectors, keyword entries, an app cache) and returns how
 * many records it removed. Called with a user scope by `eraseUser` and a workspace scope by
 * `eraseWorkspace`; `VectorStore.clear` and `KeywordIndex.clear` fit as they are.
 */
export type ErasureHook = (
  scope: Scope,
  context: { readonly kind: 'user' | 'workspace' },
) => Promise<number | { removed: number } | undefined>;

export interface ErasureReceipt {
  readonly kind: 'user' | 'workspace';
  readonly workspaceId: string;
  readonly userId?: string | undefined;
  readonly startedAt: Date;
  readonly completedAt: Date;
  /** One line per store and hook, in the order they ran; counts are records removed. */
  readonly removed: ReadonlyArray<{ readonly store: string; readonly count: number }>;
  readonly total: number;
}

export interface ErasureRegistry {
  register(name: string, hook: ErasureHook): () => void;
  erase(context: MemoryContext, scope: Scope, kind: 'user' | 'workspace'): Promise<ErasureReceipt>;
}

const hookNameSchema = z.string().trim().min(1).max(64);

function countOf(result: number | { removed: number } | undefined): number {
  if (typeof result === 'number') return result;
  if (result && typeof result.removed === 'number') return result.removed;
  return 0;
}

/**
 * Erasure across every store memory knows (conversations, messages, session memory and everything else
 * of the scope in the key-value store, action history, suggestion feedback, consent, cached workspace
 * insights) and every registered hook. All steps run even when one fails; then a failure throws a
 * retryable `StoreError` carrying the partial receipt. Erasure is idempotent, so retrying is safe.
 */
export function createErasureRegistry(): ErasureRegistry {
  const hooks = new Map<string, ErasureHook>();
  return {
    register(name, hook) {
      const checked = parseInput(hookNameSchema, name, 'erasure hook name');
      if (typeof hook !== 'function') {
        throw new ConfigurationError({
          message: `The erasure hook "${checked}" must be a function (scope) => Promise<number | { removed }>.`,
        });
      }
      if (hooks.has(checked)) {
        throw new ConfigurationError({
          message: `An erasure hook named "${checked}" is already registered. Use another name, or call the function onErase returned to remove the first.`,
        });
      }
      hooks.set(checked, hook);
      return () => {
        if (hooks.get(checked) === hook) hooks.delete(checked);
      };
    },

    async erase(context, scope, kind) {
      const keys =
        kind === 'user' ? userScopeKeys(scope, 'eraseUser') : workspaceScopeKeys(scope, 'eraseWorkspace');
      const target = keys.scope;
      const workspace = { workspaceId: keys.filter.workspaceId };
      const startedAt = new Date();
      const removed: { store: string; count: number }[] = [];
      const failed: string[] = [];
      const step = async (name: string, run: () => Promise<Record<string, number> | number>) => {
        try {
          const result = await run();
          if (typeof result === 'number') removed.push({ store: name, count: result });
          else for (const [part, count] of Object.entries(result)) removed.push({ store: part, count });
        } catch (error) {
          failed.push(name);
          removed.push({ store: name, count: 0 });
          if (context.telemetry.active) {
            context.telemetry.emit({
              type: 'error',
              timestamp: Date.now(),
              scope: target,
              source: 'memory',
              code: NeptuneError.isInstance(error) ? error.code : 'store-unavailable',
              message: `Erasure step "${name}" failed: ${error instanceof Error ? error.message : String(error)}`,
              retryable: true,
            });
          }
        }
      };
      await step('conversations', async () => {
        const { conversations, messages } = await context.conversations.deleteScope(target);
        return { conversations, messages };
      });
      if (kind === 'user') await step('session-memory', () => context.sessions.removeAll(target));
      await step('key-value', () => context.keyValue.clear(target));
      await step('action-history', async () => {
        const { actions, feedback } = await context.actions.deleteScope(target);
        return { 'action-history': actions, 'suggestion-feedback': feedback };
      });
      await step('consent', () => context.consent.deleteScope(target));
      // Aggregates counted this user; they are recomputed without them on the next request.
      if (kind === 'user') {
        await step('workspace-insights-cache', async () =>
          Number(await context.keyValue.delete(workspace, WORKSPACE_INSIGHTS_KEY)),
        );
      }
      for (const [name, hook] of hooks) await step(name, async () => countOf(await hook(target, { kind })));

      const receipt: ErasureReceipt = {
        kind,
        workspaceId: keys.filter.workspaceId,
        userId: keys.filter.userId ?? undefined,
        startedAt,
        completedAt: new Date(),
        removed,
        total: removed.reduce((sum, line) => sum + line.count, 0),
      };
      if (context.telemetry.active) {
        context.telemetry.emit({
          type: 'memory-erase',
          timestamp: startedAt.getTime(),
          scope: target,
          durationMs: receipt.completedAt.getTime() - startedAt.getTime(),
          kind,
          removed: receipt.total,
          failed,
        });
      }
      if (failed.length > 0) {
        throw new StoreError({
          message: `Erasure of ${kind === 'user' ? `user ${keys.filter.userId}` : `workspace ${keys.filter.workspaceId}`} is incomplete: ${failed.join(', ')} failed. Call it again: erasure is idempotent. The receipt of what was removed is in details.receipt.`,
          details: { receipt, failed },
        });
      }
      return receipt;
    },
  };
}
