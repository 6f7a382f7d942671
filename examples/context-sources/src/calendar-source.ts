import { defineContextSource } from '@neptune/context';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { eventColumns, eventItem, eventRecord } from './records';
import { calendarEvents } from './schema';
import type { SourceDependencies } from './source-dependencies';

const DAY_MS = 86_400_000;

/**
 * The user's calendar (cache kind `calendar`, the plan's 2 minutes): from the start of today (UTC) to a
 * week ahead, earliest first. Today's events get the plan's "today" weight when scored.
 */
export function calendarSource({ db, instrumentQuery, now = () => new Date() }: SourceDependencies) {
  return defineContextSource({
    kind: 'calendar',
    scope: 'user',
    limit: 20,
    schema: eventRecord,
    load(scope, { limit }) {
      const startOfToday = new Date(Math.floor(now().getTime() / DAY_MS) * DAY_MS);
      return instrumentQuery(
        'calendar.upcoming',
        db
          .select(eventColumns)
          .from(calendarEvents)
          .where(
            and(
              eq(calendarEvents.workspaceId, scope.workspaceId),
              eq(calendarEvents.userId, scope.userId!),
              gte(calendarEvents.startsAt, startOfToday),
              lt(calendarEvents.startsAt, new Date(startOfToday.getTime() + 8 * DAY_MS)),
            ),
          )
          .orderBy(asc(calendarEvents.startsAt))
          .limit(limit),
        { scope },
      );
    },
    toItem: eventItem,
  });
}
