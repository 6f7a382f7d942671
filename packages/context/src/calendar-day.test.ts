import { describe, expect, it } from 'vitest';
import { calendarDay, formatDateTime, isTimeZone } from './calendar-day';

describe('formatDateTime', () => {
  it('agrees with Intl in every zone, across daylight-saving changes and half-hour offsets', () => {
    const zones = [
      'UTC',
      'Europe/Paris',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ];
    const start = Date.UTC(2025, 0, 1);
    for (const timeZone of zones) {
      const intl = new Intl.DateTimeFormat('sv-SE', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      // Every 7 hours and 13 minutes through a year: every offset change is crossed at some point.
      for (
        let epochMs = start;
        epochMs < start + 366 * 86_400_000;
        epochMs += 7 * 3_600_000 + 13 * 60_000 + 17_000
      ) {
        expect(formatDateTime(epochMs, timeZone), `${timeZone} ${new Date(epochMs).toISOString()}`).toBe(
          intl.format(epochMs),
        );
      }
    }
  });

  it('gives calendar days, and recognizes zones', () => {
    expect(calendarDay(Date.UTC(2025, 0, 15, 23, 30), 'UTC')).toBe('2025-01-15');
    expect(calendarDay(Date.UTC(2025, 0, 15, 23, 30), 'Asia/Tokyo')).toBe('2025-01-16');
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
