import { z } from 'zod';
import { isTimeZone } from '../calendar-day';

const DAY_MS = 24 * 60 * 60 * 1_000;

/**
 * The optimization plan's priority weights (section 1.3), on its 0-10 scale, and `mentioned` (the query
 * contains the item's whole title, two words or more: the user named it), which ranks with the highest.
 * An item takes the highest weight among its signals, or `general`.
 */
export const DEFAULT_PRIORITY_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  mentioned: 10,
  hotLead: 10,
  overdue: 9,
  today: 8,
  recentConversation: 7,
  general: 3,
});

/**
 * How much each part contributes, scaled to sum to 10. The query-term match weighs most, so that an item
 * the user names (a general one: 0.9 + 5) outranks every item they did not (at most 3 + 1 + 1); priority
 * comes next, so that any flagged item (hot lead, overdue, today, recent conversation: 2.1 to 3) outranks
 * a general one however recent (0.9 + 1); time sensitivity and recency order items within a class.
 */
export const DEFAULT_SCORE_WEIGHTS = Object.freeze({
  priority: 3,
  termMatch: 5,
  timeSensitivity: 1,
  recency: 1,
});

const weight = z.number().finite().min(0);
const scoreWeightsShape = {
  priority: weight.default(DEFAULT_SCORE_WEIGHTS.priority),
  termMatch: weight.default(DEFAULT_SCORE_WEIGHTS.termMatch),
  timeSensitivity: weight.default(DEFAULT_SCORE_WEIGHTS.timeSensitivity),
  recency: weight.default(DEFAULT_SCORE_WEIGHTS.recency),
};
const scoreWeightsSchema: z.ZodPrefault<z.ZodObject<typeof scoreWeightsShape>> = z
  .object(scoreWeightsShape)
  .prefault({})
  .refine(
    (weights) => weights.priority + weights.termMatch + weights.timeSensitivity + weights.recency > 0,
    'at least one weight must be above 0',
  );

/** Relative weights of the four parts of an item's score; scaled so that they sum to 10. */
export type ScoreWeights = z.input<z.ZodObject<typeof scoreWeightsShape>>;

const scoringOptionsShape = {
  /** Relative weights of the four parts; scaled so that they sum to 10. Default 3, 5, 1, 1. */
  weights: scoreWeightsSchema,
  /** Weight (0-10) per signal name, merged over the plan's defaults. */
  priorityWeights: z.record(z.string().min(1).max(64), z.number().finite().min(0).max(10)).optional(),
  /** Recency halves every this many ms away from now. Default 7 days. */
  recencyHalfLifeMs: z
    .number()
    .finite()
    .positive()
    .default(7 * DAY_MS),
  /** Due or starting within this many ms counts as "soon" (time sensitivity 0.4). Default 3 days. */
  soonMs: z
    .number()
    .finite()
    .min(0)
    .default(3 * DAY_MS),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
export const scoringOptionsSchema: z.ZodPrefault<z.ZodObject<typeof scoringOptionsShape>> = z
  .object(scoringOptionsShape)
  .prefault({});

/** How context items are scored: the part weights, the signal weights and the time windows. */
export type ScoringOptions = z.input<z.ZodObject<typeof scoringOptionsShape>>;

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'must be an IANA time zone this runtime knows, like "UTC" or "Europe/Paris"');

export type ResolvedScoringOptions = z.output<typeof scoringOptionsSchema>;
