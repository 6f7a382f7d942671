import { ConfigurationError, type ScopeKeys, type TelemetryChannel } from '@neptune/core';
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type {
  ActionHistoryRemoval,
  ActionHistoryStore,
  ActionRecord,
  SuggestionFeedback,
} from '../actions/action-history-store';
import {
  parseActionCutoff,
  parseListActions,
  parseListFeedback,
  parseListWorkspaceActions,
  parseNewActions,
  parseNewFeedback,
} from '../actions/action-inputs';
import { randomId } from '../record-id';
import { anyScopeKeys, userScopeKeys, workspaceScopeKeys } from '../scope-guards';
import { isPostgresDatabase, type PostgresDatabase, rowsOf } from './postgres-database';
import { createQueryRunner } from './query-runner';
import { actionHistoryTable, suggestionFeedbackTable } from './schema';
import { scopeCondition } from './scope-condition';

export interface DrizzleActionHistoryStoreOptions {
  /** A drizzle Postgres database (node-postgres, Neon, PGlite). Run `migrate(db)` once beforehand. */
  readonly db: PostgresDatabase;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly slowQueryMs?: number | undefined;
}

function toFeedback(row: typeof suggestionFeedbackTable.$inferSelect): SuggestionFeedback {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    userId: row.userId,
    kind: row.kind as SuggestionFeedback['kind'],
    key: row.key,
    accepted: row.accepted,
    hourOfWeek: row.hourOfWeek ?? undefined,
    createdAt: row.createdAt,
  };
}

/** `ActionHistoryStore` on Postgres through drizzle: `neptune_action_history` and `neptune_suggestion_feedback`. */
export function drizzleActionHistoryStore(options: DrizzleActionHistoryStoreOptions): ActionHistoryStore {
  if (!isPostgresDatabase(options?.db)) {
    throw new ConfigurationError({
      message:
        'drizzleActionHistoryStore needs `db`: a drizzle Postgres database (node-postgres, Neon or PGlite).',
    });
  }
  const { db } = options;
  const run = createQueryRunner({
    storeName: 'drizzleActionHistoryStore',
    telemetry: options.telemetry,
    slowQueryMs: options.slowQueryMs,
  });
  const a = actionHistoryTable;
  const f = suggestionFeedbackTable;

  async function remove(operation: string, keys: ScopeKeys, actionsWhere: SQL, feedbackWhere: SQL) {
    const result = await run(operation, keys.scope, () =>
      db.execute(sql`
        with removed_actions as (delete from ${a} where ${actionsWhere} returning 1),
             removed_feedback as (delete from ${f} where ${feedbackWhere} returning 1)
        select (select count(*) from removed_actions) as actions,
               (select count(*) from removed_feedback) as feedback`),
    );
    const row = rowsOf(result)[0] ?? {};
    return {
      actions: Number(row.actions ?? 0),
      feedback: Number(row.feedback ?? 0),
    } satisfies ActionHistoryRemoval;
  }

  return {
    name: 'drizzle',

    async record(scope, actions) {
      const keys = userScopeKeys(scope, 'record');
      const checked = parseNewActions(actions);
      const now = new Date();
      const rows: ActionRecord[] = checked.map((action) => ({
        id: randomId(),
        workspaceId: keys.filter.workspaceId,
        userId: keys.filter.userId,
        type: action.type,
        occurredAt: action.occurredAt ?? now,
      }));
      await run('record', keys.scope, () => db.insert(a).values(rows));
      return rows;
    },

    async list(scope, listOptions) {
      const keys = userScopeKeys(scope, 'list');
      const { type, since, limit = 1_000 } = parseListActions(listOptions);
      return run(
        'list',
        keys.scope,
        () =>
          db
            .select()
            .from(a)
            .where(
              and(
                scopeCondition(a, keys),
                type === undefined ? undefined : eq(a.type, type),
                since === undefined ? undefined : gte(a.occurredAt, since),
              ),
            )
            .orderBy(desc(a.occurredAt))
            .limit(limit),
        (rows) => rows.length,
      );
    },

    async listWorkspace(scope, listOptions) {
      const keys = workspaceScopeKeys(scope, 'listWorkspace');
      const { since, limit = 20_000 } = parseListWorkspaceActions(listOptions);
      return run(
        'listWorkspace',
        keys.scope,
        () =>
          db
            .select()
            .from(a)
            .where(
              and(
                eq(a.workspaceId, keys.filter.workspaceId),
                since === undefined ? undefined : gte(a.occurredAt, since),
              ),
            )
            .orderBy(desc(a.occurredAt))
            .limit(limit),
        (rows) => rows.length,
      );
    },

    async recordFeedback(scope, input) {
      const keys = userScopeKeys(scope, 'recordFeedback');
      const checked = parseNewFeedback(input);
      const row = {
        id: randomId(),
        workspaceId: keys.filter.workspaceId,
        userId: keys.filter.userId,
        kind: checked.kind,
        key: checked.key,
        accepted: checked.accepted,
        hourOfWeek: checked.hourOfWeek ?? null,
        createdAt: checked.createdAt ?? new Date(),
      };
      await run('recordFeedback', keys.scope, () => db.insert(f).values(row));
      return toFeedback(row);
    },

    async listFeedback(scope, listOptions) {
      const keys = userScopeKeys(scope, 'listFeedback');
      const { kind, key, limit = 1_000 } = parseListFeedback(listOptions);
      const rows = await run(
        'listFeedback',
        keys.scope,
        () =>
          db
            .select()
            .from(f)
            .where(
              and(
                scopeCondition(f, keys),
                kind === undefined ? undefined : eq(f.kind, kind),
                key === undefined ? undefined : eq(f.key, key),
              ),
            )
            .orderBy(desc(f.createdAt))
            .limit(limit),
        (found) => found.length,
      );
      return rows.map(toFeedback);
    },

    async deleteScope(scope) {
      const keys = anyScopeKeys(scope);
      return remove('deleteScope', keys, scopeCondition(a, keys), scopeCondition(f, keys));
    },

    async deleteOlderThan(scope, cutoff) {
      const keys = anyScopeKeys(scope);
      const checked = parseActionCutoff(cutoff);
      return remove(
        'deleteOlderThan',
        keys,
        and(scopeCondition(a, keys), lt(a.occurredAt, checked)) as SQL,
        and(scopeCondition(f, keys), lt(f.createdAt, checked)) as SQL,
      );
    },
  };
}
