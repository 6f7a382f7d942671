const QUARTER_HOUR_MS = 15 * 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** True when `timeZone` is an IANA zone this runtime knows (`UTC`, `Europe/Paris`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone's offset from UTC at that instant, in ms. `Intl` is slow (microseconds a call, and assembly
 * formats every item's dates), so the offset is asked once per zone and quarter hour: every zone changes
 * its offset on a quarter-hour boundary.
 */
function offsetMs(epochMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const key = `${timeZone} ${Math.floor(epochMs / QUARTER_HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const part of formatter(timeZone).formatToParts(epochMs)) parts[part.type] = Number(part.value);
    const wallClock = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
    offset = wallClock - (epochMs - (((epochMs % 60_000) + 60_000) % 60_000));
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD HH:mm` in the time zone: the same bytes on every machine, whatever its locale. */
export function formatDateTime(epochMs: number, timeZone: string): string {
  const local = new Date(epochMs + offsetMs(epochMs, timeZone));
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** `YYYY-MM-DD` in the time zone. */
export function calendarDay(epochMs: number, timeZone: string): string {
  return formatDateTime(epochMs, timeZone).slice(0, 10);
}
