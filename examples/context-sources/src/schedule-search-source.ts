import { defineContextSource } from '@neptune/context';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { matchCount, searchTerms } from './name-search';
import { eventColumns, eventItem, eventRecord, taskColumns, taskItem, taskRecord } from './records';
import { calendarEvents, tasks } from './schema';
import type { SourceDependencies } from './source-dependencies';

/**
 * The user's open tasks and events the query names (kind `schedule-search`, 1 minute per distinct query),
 * so that a task the user asks about is found even when it is not among the 25 soonest due. Same ids as
 * the tasks and calendar sources, so an item found by both is shown once.
 */
export function scheduleSearchSource({ db, instrumentQuery }: SourceDependencies) {
  return defineContextSource({
    kind: 'schedule-search',
    ttlMs: 60_000,
    scope: 'user',
    varyByQuery: true,
    limit: 10,
    schema: z.discriminatedUnion('entity', [
      taskRecord.extend({ entity: z.literal('task') }),
      eventRecord.extend({ entity: z.literal('event') }),
    ]),
    async load(scope, { query, limit }) {
      const { names, words } = searchTerms(query);
      if (names.length === 0) return [];
      const half = Math.floor(limit / 2);
      const taskMatches = matchCount(names, [tasks.title]);
      const taskRank = matchCount([...names, ...words], [tasks.title]);
      const eventMatches = matchCount(names, [calendarEvents.title]);
      const eventRank = matchCount([...names, ...words], [calendarEvents.title]);
      const [namedTasks, namedEvents] = await Promise.all([
        instrumentQuery(
          'schedule.search-tasks',
          db
            .select(taskColumns)
            .from(tasks)
            .where(
              and(
                eq(tasks.workspaceId, scope.workspaceId),
                eq(tasks.assigneeId, scope.userId!),
                eq(tasks.status, 'open'),
                sql`${taskMatches} > 0`,
              ),
            )
            .orderBy(desc(taskRank), sql`${tasks.dueAt} ASC NULLS LAST`)
            .limit(half),
          { scope },
        ),
        instrumentQuery(
          'schedule.search-events',
          db
            .select(eventColumns)
            .from(calendarEvents)
            .where(
              and(
                eq(calendarEvents.workspaceId, scope.workspaceId),
                eq(calendarEvents.userId, scope.userId!),
                sql`${calendarEvents.startsAt} > now() - interval '1 day'`,
                sql`${eventMatches} > 0`,
              ),
            )
            .orderBy(desc(eventRank), calendarEvents.startsAt)
            .limit(limit - half),
          { scope },
        ),
      ]);
      return [
        ...namedTasks.map((task) => ({ entity: 'task' as const, ...task })),
        ...namedEvents.map((event) => ({ entity: 'event' as const, ...event })),
      ];
    },
    toItem: (record) => (record.entity === 'task' ? taskItem(record) : eventItem(record)),
  });
}
