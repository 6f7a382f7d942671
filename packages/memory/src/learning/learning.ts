import { parseInput, type Scope } from '@neptune/core';
import { z } from 'zod';
import type { NewAction, NewSuggestionFeedback } from '../actions/action-history-store';
import type { MemoryContext } from '../memory-context';
import { userScopeKeys } from '../scope-guards';
import { redactPersonalData } from '../workspace/redact-personal-data';
import { type AutomationSuggestion, toAutomationSuggestions } from './patterns/automation-suggestions';
import { detectWorkflowPatterns } from './patterns/detect-workflow-patterns';
import { checkTimeZone } from './timing/hour-of-week';
import { type FollowUpTimeSuggestion, suggestTime, timingWeights } from './timing/timing-model';

/** What recording actions or feedback did: how many were stored, or that the user opted out. */
export interface RecordActionsResult {
  /** Actions stored; 0 when the user opted out of learning. */
  readonly recorded: number;
  readonly skipped?: 'opted-out' | undefined;
}

/**
 * Records what a user did, for pattern and timing learning. Personal data in action types (emails, phone
 * numbers, names) is redacted before anything is stored; a user who opted out of learning is not recorded.
 */
export async function recordActions(
  context: MemoryContext,
  scope: Scope,
  actions: NewAction | readonly NewAction[],
): Promise<RecordActionsResult> {
  const keys = userScopeKeys(scope, 'recordAction');
  const list = Array.isArray(actions) ? actions : [actions as NewAction];
  if (!(await context.consentOf(keys.scope)).learning) return { recorded: 0, skipped: 'opted-out' };
  const redacted = list.map((action) =>
    typeof action?.type === 'string' ? { ...action, type: redactPersonalData(action.type) } : action,
  );
  const stored = await context.actions.record(keys.scope, redacted);
  return { recorded: stored.length };
}

/** Workflow patterns in the user's recent actions, as ranked automation suggestions. */
export async function suggestAutomations(
  context: MemoryContext,
  scope: Scope,
): Promise<AutomationSuggestion[]> {
  const keys = userScopeKeys(scope, 'suggestAutomations');
  if (!(await context.consentOf(keys.scope)).learning) return [];
  const settings = context.settings.patterns;
  const [actions, feedback] = await Promise.all([
    context.actions.list(keys.scope, {
      since: new Date(context.now().getTime() - settings.lookbackMs),
      limit: settings.maxActions,
    }),
    context.actions.listFeedback(keys.scope, { kind: 'pattern' }),
  ]);
  const patterns = detectWorkflowPatterns(actions, settings);
  const suggestions = toAutomationSuggestions(patterns, feedback);
  if (suggestions.length > 0) emitShown(context, keys.scope, 'pattern', suggestions.length);
  return suggestions;
}

/** Counts what was offered, so that the acceptance rate has a denominator; ids and counts only. */
function emitShown(context: MemoryContext, scope: Scope, kind: 'pattern' | 'timing', count: number): void {
  if (!context.telemetry.active) return;
  context.telemetry.emit({
    type: 'suggestion-shown',
    timestamp: Date.now(),
    scope: { workspaceId: scope.workspaceId, userId: scope.userId },
    kind,
    count,
  });
}

const followUpOptionsShape = {
  /** Suggest a time after this. Default: now. */
  after: z
    .date()
    .refine((date) => Number.isFinite(date.getTime()), 'must be a valid Date')
    .optional(),
  /** The user's IANA time zone, so "Tuesday 9:00" means their morning. Default `UTC`. */
  timeZone: z.string().min(1).max(64).optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const followUpOptionsSchema: z.ZodOptional<z.ZodObject<typeof followUpOptionsShape, z.core.$strict>> = z
  .strictObject(followUpOptionsShape)
  .optional();

/** Options of `suggestFollowUpTime`. */
export type SuggestFollowUpTimeOptions = z.input<z.ZodObject<typeof followUpOptionsShape>>;

/**
 * When to follow up on an action type: the soonest hour at which this user usually does it (hour of the
 * week in their time zone, recent habits weighted more), shifted by how they answered earlier timing
 * suggestions. `undefined` until there are `timing.minObservations` actions to learn from.
 */
export async function suggestFollowUpTime(
  context: MemoryContext,
  scope: Scope,
  actionType: string,
  options?: SuggestFollowUpTimeOptions,
): Promise<FollowUpTimeSuggestion | undefined> {
  const keys = userScopeKeys(scope, 'suggestFollowUpTime');
  const type = parseInput(z.string().trim().min(1).max(200), actionType, 'actionType');
  const checked = parseInput(followUpOptionsSchema, options, 'suggestFollowUpTime options') ?? {};
  const timeZone = checkTimeZone(checked.timeZone ?? 'UTC');
  if (!(await context.consentOf(keys.scope)).learning) return undefined;
  const settings = context.settings.timing;
  const storedType = redactPersonalData(type);
  const [actions, feedback] = await Promise.all([
    context.actions.list(keys.scope, { type: storedType, limit: settings.maxActions }),
    context.actions.listFeedback(keys.scope, { kind: 'timing', key: storedType }),
  ]);
  if (actions.length < settings.minObservations) return undefined;
  const now = context.now();
  const weights = timingWeights(actions, feedback, { ...settings, now, timeZone });
  const suggestion = suggestTime(weights, {
    after: checked.after ?? now,
    timeZone,
    observations: actions.length,
  });
  if (suggestion !== undefined) emitShown(context, keys.scope, 'timing', 1);
  return suggestion;
}

/**
 * Records whether the user accepted a suggestion: a pattern (`key` from the suggestion) or a follow-up
 * time (`key` is the action type, `hourOfWeek` from the suggestion). Later suggestions learn from it.
 */
export async function recordFeedback(
  context: MemoryContext,
  scope: Scope,
  feedback: NewSuggestionFeedback,
): Promise<RecordActionsResult> {
  const keys = userScopeKeys(scope, 'recordFeedback');
  if (!(await context.consentOf(keys.scope)).learning) return { recorded: 0, skipped: 'opted-out' };
  const key = typeof feedback?.key === 'string' ? redactPersonalData(feedback.key) : feedback?.key;
  await context.actions.recordFeedback(keys.scope, { ...feedback, key });
  if (context.telemetry.active) {
    context.telemetry.emit({
      type: 'suggestion-feedback',
      timestamp: Date.now(),
      scope: { workspaceId: keys.scope.workspaceId, userId: keys.scope.userId },
      kind: feedback.kind,
      accepted: feedback.accepted === true,
    });
  }
  return { recorded: 1 };
}
