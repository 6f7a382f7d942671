import { randomId } from '../record-id';
import type { UserScopeKeys } from '../scope-guards';
import type {
  ActionRecord,
  NewAction,
  NewSuggestionFeedback,
  SuggestionFeedback,
} from './action-history-store';

/** The records of checked new actions, as every store writes and returns them; one call shares one "now". */
export function toActionRecords(keys: UserScopeKeys, actions: readonly NewAction[]): ActionRecord[] {
  const now = new Date();
  return actions.map((action) => ({
    id: randomId(),
    workspaceId: keys.filter.workspaceId,
    userId: keys.filter.userId,
    type: action.type,
    occurredAt: action.occurredAt ?? now,
  }));
}

/** The record of checked suggestion feedback, as every store writes and returns it. */
export function toFeedbackRecord(keys: UserScopeKeys, feedback: NewSuggestionFeedback): SuggestionFeedback {
  return {
    id: randomId(),
    workspaceId: keys.filter.workspaceId,
    userId: keys.filter.userId,
    kind: feedback.kind,
    key: feedback.key,
    accepted: feedback.accepted,
    hourOfWeek: feedback.hourOfWeek,
    createdAt: feedback.createdAt ?? new Date(),
  };
}
