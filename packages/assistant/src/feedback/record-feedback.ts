import {
  NeptuneError,
  parseInput,
  type Scope,
  type TelemetryChannel,
  ValidationError,
  validateScope,
} from '@neptune/core';
import { z } from 'zod';
import type { RequestLedger, StoredFeedback } from './request-ledger';
import { UnknownRequestError } from './unknown-request-error';

/** A rating of one answer. */
export interface FeedbackInput {
  /** Whose feedback: the workspace and user the answer was given to. */
  readonly scope: Scope;
  /** The answer's request id (the `x-request-id` header, or `requestId` in the answer's metadata). */
  readonly requestId: string;
  /** Thumbs up or down, or 1 to 5 stars. */
  readonly rating: 'up' | 'down' | 1 | 2 | 3 | 4 | 5;
  /** Free text, kept in the workspace's store only: no event, metric or log carries it. */
  readonly comment?: string | undefined;
  /** Passages the rating is about; each must have been in the answer's prompt. */
  readonly passageIds?: readonly string[] | undefined;
}

/** A rating as recorded: the request it rates, whether it counts as satisfied, and its score on 0..1. */
export interface FeedbackResult {
  readonly requestId: string;
  readonly positive: boolean;
  /** The rating on 0..1. */
  readonly score: number;
}

export const MAX_COMMENT_LENGTH = 2_000;

export const feedbackBodySchema = z.object(
  {
    requestId: z
      .string({ error: 'requestId must be a string: the x-request-id of the answer' })
      .min(1, 'requestId must not be empty')
      .max(128, 'requestId must be at most 128 characters'),
    rating: z.union([z.enum(['up', 'down']), z.number().int().min(1).max(5)], {
      error: 'rating must be "up", "down" or a whole number of stars from 1 to 5',
    }),
    comment: z
      .string({ error: 'comment must be a string' })
      .max(MAX_COMMENT_LENGTH, `comment must be at most ${MAX_COMMENT_LENGTH} characters`)
      .optional(),
    passageIds: z
      .array(z.string().min(1).max(256), { error: 'passageIds must be an array of passage ids' })
      .max(50, 'passageIds must name at most 50 passages')
      .optional(),
  },
  { error: 'the feedback must be an object: { "requestId": "...", "rating": "up" }' },
);

const inputSchema = feedbackBodySchema.extend({ scope: z.unknown() });

/** Satisfaction counts thumbs up and 4 or 5 stars as positive. */
export function scoreOf(rating: 'up' | 'down' | number): { positive: boolean; score: number } {
  if (rating === 'up') return { positive: true, score: 1 };
  if (rating === 'down') return { positive: false, score: 0 };
  return { positive: rating >= 4, score: (rating - 1) / 4 };
}

export interface FeedbackDependencies {
  readonly ledger: RequestLedger;
  readonly telemetry: TelemetryChannel;
}

/**
 * Records a rating of an answer the assistant gave: checked at the edge, refused with
 * `UnknownRequestError` when the request is not one this workspace's user received, with a `conflict`
 * error when it was rated already; stored once in the workspace's scope, and counted as a `feedback`
 * event (without the comment).
 */
export async function recordFeedback(
  dependencies: FeedbackDependencies,
  input: FeedbackInput,
): Promise<FeedbackResult> {
  const parsed = parseInput(inputSchema, input, 'feedback');
  const scope = validateScope(parsed.scope);
  const entry = await dependencies.ledger.lookup(scope, parsed.requestId);
  if (entry === undefined || (entry.userId !== undefined && entry.userId !== scope.userId))
    throw new UnknownRequestError(parsed.requestId);
  const passageIds = parsed.passageIds ?? [];
  const foreign = passageIds.filter((id) => !entry.passageIds.includes(id));
  if (foreign.length > 0) {
    throw new ValidationError({
      message: `feedback passageIds: ${JSON.stringify(foreign.slice(0, 3))} were not in the answer's prompt. Name passages the answer cited (its citations' passageId), or leave passageIds out.`,
    });
  }
  const { positive, score } = scoreOf(parsed.rating);
  const stored: StoredFeedback = {
    requestId: parsed.requestId,
    userId: scope.userId,
    positive,
    score,
    rating: parsed.rating,
    comment: parsed.comment,
    passageIds,
    experiment: entry.experiment,
    at: Date.now(),
  };
  if (!(await dependencies.ledger.saveFeedback(scope, stored))) {
    throw new NeptuneError({
      code: 'conflict',
      message: `The answer ${JSON.stringify(parsed.requestId.slice(0, 80))} was rated already: each answer takes one rating.`,
    });
  }
  dependencies.telemetry.emit({
    type: 'feedback',
    timestamp: stored.at,
    scope: { workspaceId: scope.workspaceId, userId: scope.userId },
    requestId: parsed.requestId,
    positive,
    score,
    experiment: entry.experiment,
  });
  return { requestId: parsed.requestId, positive, score };
}
