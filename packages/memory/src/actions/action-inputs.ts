import { parseInput } from '@neptune/core';
import { z } from 'zod';
import type { NewAction, NewSuggestionFeedback } from './action-history-store';

const dateSchema = z.date().refine((date) => Number.isFinite(date.getTime()), 'must be a valid Date');
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const textSchema = (maxLength: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine((value) => !CONTROL_CHARACTER.test(value), 'must not contain control characters');
const labelSchema = textSchema(200);

export const MAX_ACTIONS_PER_RECORD = 1_000;

const newActionsSchema = z
  .array(z.object({ type: labelSchema, occurredAt: dateSchema.optional() }).strict())
  .min(1, 'pass at least one action')
  .max(MAX_ACTIONS_PER_RECORD, `at most ${MAX_ACTIONS_PER_RECORD} actions per call`);

const feedbackSchema = z
  .object({
    kind: z.enum(['pattern', 'timing']),
    key: textSchema(1_000),
    accepted: z.boolean(),
    hourOfWeek: z.number().int().min(0).max(167).optional(),
    createdAt: dateSchema.optional(),
  })
  .strict();

const listSchema = z
  .object({
    type: labelSchema.optional(),
    since: dateSchema.optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .optional();

const listWorkspaceSchema = z
  .object({ since: dateSchema.optional(), limit: z.number().int().min(1).max(100_000).optional() })
  .strict()
  .optional();

const listFeedbackSchema = z
  .object({
    kind: z.enum(['pattern', 'timing']).optional(),
    key: textSchema(1_000).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .optional();

export function parseNewActions(input: unknown): NewAction[] {
  return parseInput(newActionsSchema, input, 'actions');
}

export function parseNewFeedback(input: unknown): NewSuggestionFeedback {
  return parseInput(feedbackSchema, input, 'suggestion feedback');
}

export function parseListActions(input: unknown) {
  return parseInput(listSchema, input, 'list options') ?? {};
}

export function parseListWorkspaceActions(input: unknown) {
  return parseInput(listWorkspaceSchema, input, 'listWorkspace options') ?? {};
}

export function parseListFeedback(input: unknown) {
  return parseInput(listFeedbackSchema, input, 'listFeedback options') ?? {};
}

export function parseActionCutoff(cutoff: unknown): Date {
  return parseInput(dateSchema, cutoff, 'cutoff');
}
