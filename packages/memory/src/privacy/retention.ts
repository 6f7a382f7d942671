import type { Scope } from '@neptune/core';
import type { MemoryContext } from '../memory-context';
import { anyScopeKeys } from '../scope-guards';

/** What `enforceRetention` removed for a scope, and the cut-off dates it applied. */
export interface RetentionReceipt {
  readonly workspaceId: string;
  readonly userId?: string | undefined;
  readonly messagesBefore: Date;
  readonly actionsBefore: Date;
  readonly removed: {
    readonly conversations: number;
    readonly messages: number;
    readonly actions: number;
    readonly feedback: number;
  };
}

/**
 * Deletes what is older than the retention periods: messages (and conversations idle since), actions
 * and suggestion feedback. Run it on a schedule (a daily cron) for each workspace. Session memories need
 * no sweep: they expire by TTL, and what they derived from expired messages is dropped when read.
 */
export async function enforceRetention(context: MemoryContext, scope: Scope): Promise<RetentionReceipt> {
  const keys = anyScopeKeys(scope);
  const now = context.now().getTime();
  const messagesBefore = new Date(now - context.settings.retention.messagesMaxAgeMs);
  const actionsBefore = new Date(now - context.settings.retention.actionsMaxAgeMs);
  const [conversations, actions] = await Promise.all([
    context.conversations.deleteOlderThan(keys.scope, messagesBefore),
    context.actions.deleteOlderThan(keys.scope, actionsBefore),
  ]);
  return {
    workspaceId: keys.filter.workspaceId,
    userId: keys.filter.userId ?? undefined,
    messagesBefore,
    actionsBefore,
    removed: { ...conversations, ...actions },
  };
}
