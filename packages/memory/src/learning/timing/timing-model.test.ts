import { describe, expect, it } from 'vitest';
import { hourOfWeek } from './hour-of-week';
import { suggestTime, timingWeights } from './timing-model';

const settings = { halfLifeMs: 30 * 86_400_000, acceptWeight: 3, rejectWeight: 2 };

describe('hourOfWeek', () => {
  it('counts from Monday 00:00 in the given time zone', () => {
    expect(hourOfWeek(new Date('2025-01-06T00:30:00Z'))).toBe(0);
    expect(hourOfWeek(new Date('2025-01-12T23:59:00Z'))).toBe(167);
    // 08:00 UTC on a Tuesday is 09:00 in Berlin (CET) and 03:00 in New York (EST).
    expect(hourOfWeek(new Date('2025-01-07T08:00:00Z'), 'Europe/Berlin')).toBe(24 + 9);
    expect(hourOfWeek(new Date('2025-01-07T08:00:00Z'), 'America/New_York')).toBe(24 + 3);
    // Summer time: 07:00 UTC is 09:00 in Berlin (CEST).
    expect(hourOfWeek(new Date('2025-07-08T07:00:00Z'), 'Europe/Berlin')).toBe(24 + 9);
    expect(() => hourOfWeek(new Date(), 'Mars/Olympus')).toThrow(/IANA/);
  });
});

describe('timing model', () => {
  const now = new Date('2025-03-03T12:00:00Z'); // a Monday
  // Tuesdays at 09:15 Berlin time for eight weeks, and one stray Friday evening.
  const tuesdays = Array.from({ length: 8 }, (_, week) => ({
    type: 'follow-up',
    occurredAt: new Date(Date.UTC(2025, 0, 7 + 7 * week, 8, 15)),
  }));
  const actions = [...tuesdays, { type: 'follow-up', occurredAt: new Date('2025-02-28T19:00:00Z') }];

  it('suggests the next local hour at which the user usually acts', () => {
    const weights = timingWeights(actions, [], { ...settings, now, timeZone: 'Europe/Berlin' });
    const suggestion = suggestTime(weights, {
      after: now,
      timeZone: 'Europe/Berlin',
      observations: actions.length,
    });
    expect(suggestion?.at.toISOString()).toBe('2025-03-04T08:00:00.000Z');
    expect(suggestion?.hourOfWeek).toBe(24 + 9);
    expect(suggestion!.confidence).toBeGreaterThan(0.8);
  });

  it('weights recent habits more than old ones', () => {
    const old = Array.from({ length: 6 }, (_, week) => ({
      type: 't',
      occurredAt: new Date(Date.UTC(2024, 5, 3 + 7 * week, 10)),
    }));
    const recent = Array.from({ length: 3 }, (_, week) => ({
      type: 't',
      occurredAt: new Date(Date.UTC(2025, 1, 13 + 7 * week, 15)),
    }));
    const weights = timingWeights([...old, ...recent], [], { ...settings, now, timeZone: 'UTC' });
    // Six Monday-morning actions from last June lose to three recent Thursday afternoons.
    expect(suggestTime(weights, { after: now, timeZone: 'UTC', observations: 9 })?.at.toISOString()).toBe(
      '2025-03-06T15:00:00.000Z',
    );
  });

  it('moves away from rejected hours and towards accepted ones', () => {
    const feedback = (hour: number, accepted: boolean, count: number) =>
      Array.from({ length: count }, (_, index) => ({
        id: `${hour}-${index}`,
        workspaceId: 'acme',
        userId: 'ana',
        kind: 'timing' as const,
        key: 'follow-up',
        accepted,
        hourOfWeek: hour,
        createdAt: new Date('2025-03-01T00:00:00Z'),
      }));
    const answers = [...feedback(24 + 9, false, 5), ...feedback(3 * 24 + 14, true, 4)];
    const weights = timingWeights(actions, answers, { ...settings, now, timeZone: 'Europe/Berlin' });
    const suggestion = suggestTime(weights, {
      after: now,
      timeZone: 'Europe/Berlin',
      observations: actions.length,
    });
    expect(suggestion?.hourOfWeek).toBe(3 * 24 + 14);
    expect(suggestion?.at.toISOString()).toBe('2025-03-06T13:00:00.000Z');
  });
});
