import { ConfigurationError, NeptuneError, parseInput, type Scope, StoreError } from '@neptune/core';
import { z } from 'zod';
import type { MemoryContext } from '../memory-context';
import { userScopeKeys, workspaceScopeKeys } from '../scope-guards';
import { SESSION_KEY_PREFIX } from '../session/session-memory-store';
import { WORKSPACE_INSIGHTS_KEY } from '../workspace-insights';
import {
  buildReceiptLine,
  ERASURE_NOT_COVERED,
  type ErasureReceipt,
  type ErasureReceiptLine,
  receiptDigest,
} from './erasure-receipt';

export type { ErasureReceipt, ErasureReceiptLine } from './erasure-receipt';

/**
 * Erases what another package keeps for a scope (vectors, keyword entries, an app cache) and returns how
 * many records it removed, and which when it can say (`ids`, for the receipt's digest). Called with a
 * user scope by `eraseUser` and a workspace scope by `eraseWorkspace`; `VectorStore.clear`,
 * `KeywordIndex.clear` and `knowledgeBase.erase` fit as they are.
 */
export type ErasureHook = (
  scope: Scope,
  context: { readonly kind: 'user' | 'workspace' },
) => Promise<number | { removed: number; ids?: readonly string[] | undefined } | undefined>;

type StepResult = { readonly count: number; readonly ids?: readonly string[] | undefined };

export interface ErasureRegistry {
  register(name: string, hook: ErasureHook): () => void;
  erase(context: MemoryContext, scope: Scope, kind: 'user' | 'workspace'): Promise<ErasureReceipt>;
}

const hookNameSchema = z.string().trim().min(1).max(64);

function stepOf(result: Awaited<ReturnType<ErasureHook>>): StepResult {
  if (typeof result === 'number') return { count: result };
  if (result && typeof result.removed === 'number') {
    const ids = Array.isArray(result.ids) ? result.ids.map(String) : undefined;
    return { count: result.removed, ids };
  }
  return { count: 0 };
}

async function keysOf(keyValue: MemoryContext['keyValue'], scope: Scope, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of keyValue.list(scope, { prefix })) keys.push(key);
  return keys;
}

/** A user's conversation ids, listed before they are deleted, for the receipt's digest. */
async function conversationIdsOf(context: MemoryContext, scope: Scope): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await context.conversations.listConversations(scope, { limit: 100, cursor });
    ids.push(...page.items.map((conversation) => conversation.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
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
      const parts: { store: string; result: StepResult }[] = [];
      const failed: string[] = [];
      const step = async (name: string, run: () => Promise<Record<string, StepResult>>) => {
        try {
          for (const [store, result] of Object.entries(await run())) parts.push({ store, result });
        } catch (error) {
          failed.push(name);
          parts.push({ store: name, result: { count: 0 } });
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
        // Listed first for the digest; a workspace's conversations are not listed (the API reads users).
        const ids = kind === 'user' ? await conversationIdsOf(context, target) : undefined;
        const { conversations, messages } = await context.conversations.deleteScope(target);
        return { conversations: { count: conversations, ids }, messages: { count: messages } };
      });
      if (kind === 'user') {
        await step('session-memory', async () => {
          const ids = await keysOf(context.keyValue, target, SESSION_KEY_PREFIX);
          return { 'session-memory': { count: await context.sessions.removeAll(target), ids } };
        });
      }
      await step('key-value', async () => {
        const ids = await keysOf(context.keyValue, target);
        return { 'key-value': { count: await context.keyValue.clear(target), ids } };
      });
      await step('action-history', async () => {
        const { actions, feedback } = await context.actions.deleteScope(target);
        return { 'action-history': { count: actions }, 'suggestion-feedback': { count: feedback } };
      });
      await step('consent', async () => ({ consent: { count: await context.consent.deleteScope(target) } }));
      // Aggregates counted this user; they are recomputed without them on the next request.
      if (kind === 'user') {
        await step('workspace-insights-cache', async () => {
          const deleted = await context.keyValue.delete(workspace, WORKSPACE_INSIGHTS_KEY);
          return {
            'workspace-insights-cache': {
              count: Number(deleted),
              ids: deleted ? [WORKSPACE_INSIGHTS_KEY] : [],
            },
          };
        });
      }
      for (const [name, hook] of hooks) {
        await step(name, async () => ({ [name]: stepOf(await hook(target, { kind })) }));
      }

      const removed: ErasureReceiptLine[] = await Promise.all(
        parts.map(({ store, result }) => buildReceiptLine(store, result.count, result.ids)),
      );
      const total = removed.reduce((sum, line) => sum + line.count, 0);
      const userId = keys.filter.userId ?? undefined;
      const receipt: ErasureReceipt = {
        kind,
        workspaceId: keys.filter.workspaceId,
        userId,
        startedAt,
        completedAt: new Date(),
        status: total === 0 && failed.length === 0 ? 'nothing-left' : 'erased',
        removed,
        total,
        digest: await receiptDigest(kind, keys.filter.workspaceId, userId, removed),
        notCovered: ERASURE_NOT_COVERED,
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
