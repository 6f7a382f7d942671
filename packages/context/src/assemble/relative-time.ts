import { calendarDay, formatDateTime } from '../calendar-day';

const DAY_MS = 86_400_000;

/**
 * When something is, as a person would say it relative to `now`: `today 17:00`, `tomorrow 09:30`,
 * `yesterday 14:00`, `in 5 days`, `3 days ago`. Calendar days in the time zone, so the same input always
 * gives the same words. Shorter than a full date, which matters on every summary line.
 */
export function relativeTime(epochMs: number, now: number, timeZone: string): string {
  const dateTime = formatDateTime(epochMs, timeZone);
  const days = Math.round(
    (Date.parse(dateTime.slice(0, 10)) - Date.parse(calendarDay(now, timeZone))) / DAY_MS,
  );
  const time = dateTime.slice(11);
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days === -1) return `yesterday ${time}`;
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}
