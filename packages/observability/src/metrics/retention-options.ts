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

/** The retention fields every metrics store takes (a shape: spread it into a store's options shape). */
export const retentionSchema = {
  /** How long minute buckets are kept, in ms (at least an hour). Default 3 hours. */
  minuteRetentionMs: z
    .number()
    .int()
    .min(HOUR_MS, 'must be at least an hour (3,600,000 ms): the hour view reads 60 minute buckets')
    .optional(),
  /** How long hour buckets are kept, in ms (at least a week). Default 8 days. */
  hourRetentionMs: z
    .number()
    .int()
    .min(7 * 24 * HOUR_MS, 'must be at least a week (604,800,000 ms): the week view reads 168 hour buckets')
    .optional(),
  /** How long day buckets are kept, in ms (at least 30 days). Default 90 days. */
  dayRetentionMs: z
    .number()
    .int()
    .min(30 * DAY_MS, 'must be at least 30 days (2,592,000,000 ms): the 30-day trend reads 30 day buckets')
    .optional(),
  /** Recent errors kept per workspace (0 to 1,000). Default 50. */
  maxRecentErrors: z.number().int().min(0).max(1_000).optional(),
};
