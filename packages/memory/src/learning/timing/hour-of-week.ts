import { ValidationError } from '@neptune/core';

export const HOURS_PER_WEEK = 168;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      });
    } catch (error) {
      throw new ValidationError({
        message: `Unknown time zone ${JSON.stringify(timeZone)}: pass an IANA name such as "Europe/Berlin" or "America/New_York".`,
        cause: error,
      });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local weekday, hour and minute of an instant in a time zone (DST included, through Intl). */
export function localTime(date: Date, timeZone: string): { hourOfWeek: number; minute: number } {
  const parts = formatterFor(timeZone).formatToParts(date);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '0';
  const day = WEEKDAYS.indexOf(part('weekday'));
  return { hourOfWeek: day * 24 + (Number(part('hour')) % 24), minute: Number(part('minute')) };
}

/** Hour of the week in a time zone: 0 is Monday 00:00 to 00:59, 167 is Sunday 23:00 to 23:59. */
export function hourOfWeek(date: Date, timeZone = 'UTC'): number {
  return localTime(date, timeZone).hourOfWeek;
}

export function checkTimeZone(timeZone: string): string {
  formatterFor(timeZone);
  return timeZone;
}
