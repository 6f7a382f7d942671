import { defineContextSource } from '@neptune/context';
import { and, eq, sql } from 'drizzle-orm';
import { taskColumns, taskItem, taskRecord } from './records';
import { tasks } from './schema';
import type { SourceDependencies } from './source-dependencies';

/**
 * The user's open tasks (kind `tasks`, 1 minute: tasks change often and the app invalidates on writes),
 * soonest due first, so overdue tasks make the cut.
 */
export function tasksSource({ db, instrumentQuery }: SourceDependencies) {
  return defineContextSource({
    kind: 'tasks',
    ttlMs: 60_000,
    graceMs: 60_000,
    scope: 'user',
    limit: 25,
    schema: taskRecord,
    load: (scope, { limit }) =>
      instrumentQuery(
        'tasks.open',
        db
          .select(taskColumns)
          .from(tasks)
          .where(
            and(
              eq(tasks.workspaceId, scope.workspaceId),
              eq(tasks.assigneeId, scope.userId!),
              eq(tasks.status, 'open'),
            ),
          )
          .orderBy(sql`${tasks.dueAt} ASC NULLS LAST`)
          .limit(limit),
        { scope },
      ),
    toItem: taskItem,
  });
}
