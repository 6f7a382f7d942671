import { z } from 'zod';
import { DAY_MS, HOUR_MS } from './metrics-store';

/** Minute buckets are kept 3 hours: the hour view needs 60 of them, with room for late events. */
export const DEFAULT_MINUTE_RETENTION_MS = 3 * HOUR_MS;
/** Hour buckets are kept 8 days: the week view needs 168 of them, plus a day of margin. */
export const DEFAULT_HOUR_RETENTION_MS = 8 * 24 * HOUR_MS;
/** Day buckets are kept 90 days: the 30-day trend needs 30 of them, and a quarter can be compared. */
export const DEFAULT_DAY_RETENTION_MS = 90 * DAY_MS;
/** Recent errors kept per workspace (and for the total) for the dashboard. */
export const DEFAULT_MAX_RECENT_ERRORS = 50;

export const retentionSchema = {
  minuteRetentionMs: z
    .number()
    .int()
    .min(HOUR_MS, 'must be at least an hour (3,600,000 ms): the hour view reads 60 minute buckets')
    .optional(),
  hourRetentionMs: z
    .number()
    .int()
    .min(7 * 24 * HOUR_MS, 'must be at least a week (604,800,000 ms): the week view reads 168 hour buckets')
    .optional(),
  dayRetentionMs: z
    .number()
    .int()
    .min(30 * DAY_MS, 'must be at least 30 days (2,592,000,000 ms): the 30-day trend reads 30 day buckets')
    .optional(),
  maxRecentErrors: z.number().int().min(0).max(1_000).optional(),
};
