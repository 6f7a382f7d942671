import type { SuggestionFeedback } from '../../actions/action-history-store';
import type { TimedAction } from '../patterns/detect-workflow-patterns';
import { HOURS_PER_WEEK, hourOfWeek, localTime } from './hour-of-week';

export interface TimingModelOptions {
  readonly now: Date;
  /** An observation this old counts half as much as one made now. */
  readonly halfLifeMs: number;
  readonly timeZone: string;
  /** Weight an accepted suggestion adds to its hour, as if the user had acted then this many times. */
  readonly acceptWeight: number;
  /** Weight a rejected suggestion removes from its hour. */
  readonly rejectWeight: number;
}

const decay = (ageMs: number, halfLifeMs: number) => 0.5 ** (Math.max(0, ageMs) / halfLifeMs);

/**
 * How strongly a user acts in each hour of the week, with exponential decay so that habits can change:
 * each action adds its decayed weight to its hour; answers to earlier timing suggestions add or remove
 * weight at the hour proposed. Weights never go below zero.
 */
export function timingWeights(
  actions: readonly TimedAction[],
  feedback: readonly SuggestionFeedback[],
  options: TimingModelOptions,
): Float64Array {
  const weights = new Float64Array(HOURS_PER_WEEK);
  const now = options.now.getTime();
  for (const action of actions) {
    weights[hourOfWeek(action.occurredAt, options.timeZone)]! += decay(
      now - action.occurredAt.getTime(),
      options.halfLifeMs,
    );
  }
  for (const row of feedback) {
    if (row.kind !== 'timing' || row.hourOfWeek === undefined) continue;
    const weight = decay(now - row.createdAt.getTime(), options.halfLifeMs);
    const hour = row.hourOfWeek;
    weights[hour] = Math.max(
      0,
      weights[hour]! + (row.accepted ? options.acceptWeight : -options.rejectWeight) * weight,
    );
  }
  return weights;
}

/** A suggested time for a follow-up, learned from when the user does that action. */
export interface FollowUpTimeSuggestion {
  /** The proposed time: the start of a local hour. */
  readonly at: Date;
  /** Its hour of the week in the time zone (0 = Monday 00:00); pass it back with the feedback. */
  readonly hourOfWeek: number;
  /** Share of the learned weight within an hour of it (the hour and its neighbours), 0 to 1. */
  readonly confidence: number;
  /** Actions the model learned from. */
  readonly observations: number;
}

/** Weight of an hour with half of each neighbour's, so that 9:00 and 10:00 habits reinforce each other. */
function smoothed(weights: Float64Array, hour: number): number {
  const at = (index: number) => weights[(index + HOURS_PER_WEEK) % HOURS_PER_WEEK]!;
  return at(hour) + 0.5 * (at(hour - 1) + at(hour + 1));
}

function nearby(weights: Float64Array, hour: number): number {
  const at = (index: number) => weights[(index + HOURS_PER_WEEK) % HOURS_PER_WEEK]!;
  return at(hour - 1) + at(hour) + at(hour + 1);
}

/**
 * The soonest local full hour in the week after `after` whose smoothed weight is at least 80% of the best
 * hour's: a follow-up at a time the user usually acts, without waiting a week for the single best hour.
 */
export function suggestTime(
  weights: Float64Array,
  options: { after: Date; timeZone: string; observations: number },
): FollowUpTimeSuggestion | undefined {
  let best = 0;
  let total = 0;
  for (let hour = 0; hour < HOURS_PER_WEEK; hour++) {
    best = Math.max(best, smoothed(weights, hour));
    total += weights[hour]!;
  }
  if (best <= 0 || total <= 0) return undefined;
  // Steps of 15 minutes find every local full hour, also in zones offset by 30 or 45 minutes.
  const step = 15 * 60_000;
  const start = Math.ceil((options.after.getTime() + 1) / step) * step;
  for (let time = start; time < start + 7 * 24 * 3_600_000 + step; time += step) {
    const local = localTime(new Date(time), options.timeZone);
    if (local.minute !== 0) continue;
    const score = smoothed(weights, local.hourOfWeek);
    if (score >= 0.8 * best) {
      return {
        at: new Date(time),
        hourOfWeek: local.hourOfWeek,
        confidence: Math.min(1, nearby(weights, local.hourOfWeek) / total),
        observations: options.observations,
      };
    }
  }
  return undefined;
}
