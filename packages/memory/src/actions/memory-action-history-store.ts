import type { Scope } from '@neptune/core';
import { anyScopeKeys, userScopeKeys, workspaceScopeKeys } from '../scope-guards';
import type { ActionHistoryStore, ActionRecord, SuggestionFeedback } from './action-history-store';
import {
  parseActionCutoff,
  parseListActions,
  parseListFeedback,
  parseListWorkspaceActions,
  parseNewActions,
  parseNewFeedback,
} from './action-inputs';
import { toActionRecords, toFeedbackRecord } from './action-records';

const newestFirst = <Item extends { at: number }>(a: Item, b: Item) => b.at - a.at;

/** The reference `ActionHistoryStore` and the embedded default: one process's memory. */
export function memoryActionHistoryStore(): ActionHistoryStore {
  /** User key prefix (`ws:{workspace}:user:{user}:`) to that user's rows. */
  const actions = new Map<string, ActionRecord[]>();
  const feedback = new Map<string, SuggestionFeedback[]>();

  const covered = (scope: Scope, rows: Map<string, unknown>) => {
    const keys = anyScopeKeys(scope);
    const prefix = keys.filter.userId === null ? keys.workspacePrefix : keys.keyPrefix;
    return [...rows.keys()].filter((userPrefix) => userPrefix.startsWith(prefix));
  };

  const removeFrom = <Row>(rows: Map<string, Row[]>, scope: Scope, keep: (row: Row) => boolean) => {
    let removed = 0;
    for (const userPrefix of covered(scope, rows)) {
      const before = rows.get(userPrefix)!;
      const kept = before.filter(keep);
      removed += before.length - kept.length;
      if (kept.length === 0) rows.delete(userPrefix);
      else rows.set(userPrefix, kept);
    }
    return removed;
  };

  return {
    name: 'memory',

    async record(scope, newActions) {
      const keys = userScopeKeys(scope, 'record');
      const records = toActionRecords(keys, parseNewActions(newActions));
      actions.set(keys.keyPrefix, [...(actions.get(keys.keyPrefix) ?? []), ...records]);
      return records;
    },

    async list(scope, options) {
      const keys = userScopeKeys(scope, 'list');
      const { type, since, limit = 1_000 } = parseListActions(options);
      return (actions.get(keys.keyPrefix) ?? [])
        .filter(
          (action) =>
            (type === undefined || action.type === type) &&
            (since === undefined || action.occurredAt >= since),
        )
        .map((action) => ({ action, at: action.occurredAt.getTime() }))
        .sort(newestFirst)
        .slice(0, limit)
        .map(({ action }) => action);
    },

    async listWorkspace(scope, options) {
      const keys = workspaceScopeKeys(scope, 'listWorkspace');
      const { since, limit = 20_000 } = parseListWorkspaceActions(options);
      return covered(keys.scope, actions)
        .flatMap((userPrefix) => actions.get(userPrefix)!)
        .filter((action) => since === undefined || action.occurredAt >= since)
        .map((action) => ({ action, at: action.occurredAt.getTime() }))
        .sort(newestFirst)
        .slice(0, limit)
        .map(({ action }) => action);
    },

    async recordFeedback(scope, input) {
      const keys = userScopeKeys(scope, 'recordFeedback');
      const record = toFeedbackRecord(keys, parseNewFeedback(input));
      feedback.set(keys.keyPrefix, [...(feedback.get(keys.keyPrefix) ?? []), record]);
      return record;
    },

    async listFeedback(scope, options) {
      const keys = userScopeKeys(scope, 'listFeedback');
      const { kind, key, limit = 1_000 } = parseListFeedback(options);
      return (feedback.get(keys.keyPrefix) ?? [])
        .filter((row) => (kind === undefined || row.kind === kind) && (key === undefined || row.key === key))
        .map((row) => ({ row, at: row.createdAt.getTime() }))
        .sort(newestFirst)
        .slice(0, limit)
        .map(({ row }) => row);
    },

    async deleteScope(scope) {
      return {
        actions: removeFrom(actions, scope, () => false),
        feedback: removeFrom(feedback, scope, () => false),
      };
    },

    async deleteOlderThan(scope, cutoff) {
      const checked = parseActionCutoff(cutoff);
      return {
        actions: removeFrom(actions, scope, (action) => action.occurredAt >= checked),
        feedback: removeFrom(feedback, scope, (row) => row.createdAt >= checked),
      };
    },

    async close() {
      actions.clear();
      feedback.clear();
    },
  };
}
