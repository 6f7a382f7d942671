import type { ScopeKeys, TelemetryChannel } from '@neptune/core';
import { coveredScopeCondition, type PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type {
  ActionHistoryRemoval,
  ActionHistoryStore,
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
import { toActionRecords, toFeedbackRecord } from '../actions/action-records';
import { anyScopeKeys, userScopeKeys, workspaceScopeKeys } from '../scope-guards';
import { deleteInOneStatement } from './delete-in-one-statement';
import { prepareDrizzleStore } from './prepare-drizzle-store';
import { actionHistoryTable, suggestionFeedbackTable } from './schema';

/** Options of `drizzleActionHistoryStore`. */
export interface DrizzleActionHistoryStoreOptions {
  /** A drizzle Postgres database (node-postgres, Neon, PGlite). Run `migrate(db)` once beforehand. */
  readonly db: PostgresDatabase;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
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
  const { db, run } = prepareDrizzleStore('drizzleActionHistoryStore', options);
  const a = actionHistoryTable;
  const f = suggestionFeedbackTable;

  async function remove(operation: string, keys: ScopeKeys, actionsWhere: SQL, feedbackWhere: SQL) {
    const [actions, feedback] = await deleteInOneStatement(
      { db, run },
      operation,
      keys,
      { table: a, where: actionsWhere },
      { table: f, where: feedbackWhere },
    );
    return { actions, feedback } satisfies ActionHistoryRemoval;
  }

  /** Actions matching `where`, newest first, at most `limit`. */
  function newestActions(operation: string, keys: ScopeKeys, where: SQL | undefined, limit: number) {
    return run(
      operation,
      keys,
      () => db.select().from(a).where(where).orderBy(desc(a.occurredAt)).limit(limit),
      (rows) => rows.length,
    );
  }

  return {
    name: 'drizzle',

    async record(scope, actions) {
      const keys = userScopeKeys(scope, 'record');
      const records = toActionRecords(keys, parseNewActions(actions));
      await run('record', keys, () => db.insert(a).values(records));
      return records;
    },

    async list(scope, listOptions) {
      const keys = userScopeKeys(scope, 'list');
      const { type, since, limit = 1_000 } = parseListActions(listOptions);
      return newestActions(
        'list',
        keys,
        and(
          coveredScopeCondition(a, keys),
          type === undefined ? undefined : eq(a.type, type),
          since === undefined ? undefined : gte(a.occurredAt, since),
        ),
        limit,
      );
    },

    async listWorkspace(scope, listOptions) {
      const keys = workspaceScopeKeys(scope, 'listWorkspace');
      const { since, limit = 20_000 } = parseListWorkspaceActions(listOptions);
      return newestActions(
        'listWorkspace',
        keys,
        and(
          eq(a.workspaceId, keys.filter.workspaceId),
          since === undefined ? undefined : gte(a.occurredAt, since),
        ),
        limit,
      );
    },

    async recordFeedback(scope, input) {
      const keys = userScopeKeys(scope, 'recordFeedback');
      const record = toFeedbackRecord(keys, parseNewFeedback(input));
      await run('recordFeedback', keys, () =>
        db.insert(f).values({ ...record, hourOfWeek: record.hourOfWeek ?? null }),
      );
      return record;
    },

    async listFeedback(scope, listOptions) {
      const keys = userScopeKeys(scope, 'listFeedback');
      const { kind, key, limit = 1_000 } = parseListFeedback(listOptions);
      const rows = await run(
        'listFeedback',
        keys,
        () =>
          db
            .select()
            .from(f)
            .where(
              and(
                coveredScopeCondition(f, keys),
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
      return remove('deleteScope', keys, coveredScopeCondition(a, keys), coveredScopeCondition(f, keys));
    },

    async deleteOlderThan(scope, cutoff) {
      const keys = anyScopeKeys(scope);
      const checked = parseActionCutoff(cutoff);
      return remove(
        'deleteOlderThan',
        keys,
        and(coveredScopeCondition(a, keys), lt(a.occurredAt, checked)) as SQL,
        and(coveredScopeCondition(f, keys), lt(f.createdAt, checked)) as SQL,
      );
    },
  };
}
