import type { Scope } from '@neptune/core';

/** A recorded user action, as stored. */
export interface ActionRecord {
  readonly id: string;
  readonly workspaceId: string;
  readonly userId: string;
  /** What the user did, e.g. `deal.update` or `email.send`. Memory redacts personal data before storing. */
  readonly type: string;
  readonly occurredAt: Date;
}

/** A user action to record: its type and when it happened. */
export interface NewAction {
  /** 1 to 200 characters, no control characters. */
  readonly type: string;
  /** Default: now. */
  readonly occurredAt?: Date | undefined;
}

/** What a suggestion was: an automation from a workflow pattern, or a follow-up time. */
export type SuggestionKind = 'pattern' | 'timing';

/** A user's recorded answer to a suggestion: accepted or rejected. */
export interface SuggestionFeedback {
  readonly id: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly kind: SuggestionKind;
  /** The pattern's key, or the action type of a timing suggestion. */
  readonly key: string;
  readonly accepted: boolean;
  /** For timing suggestions: the proposed hour of the week (0 = Monday 00:00 to 167 = Sunday 23:00). */
  readonly hourOfWeek: number | undefined;
  readonly createdAt: Date;
}

/** A user's answer to an automation or timing suggestion, to record. */
export interface NewSuggestionFeedback {
  readonly kind: SuggestionKind;
  readonly key: string;
  readonly accepted: boolean;
  readonly hourOfWeek?: number | undefined;
  /** Default: now. */
  readonly createdAt?: Date | undefined;
}

/** Options of `ActionHistoryStore.list`. */
export interface ListActionsOptions {
  /** Only this action type. */
  readonly type?: string | undefined;
  /** Only actions at or after this time. */
  readonly since?: Date | undefined;
  /** At most this many, newest first: 1 to 10,000. Default 1,000. */
  readonly limit?: number | undefined;
}

/** Options of `ActionHistoryStore.listWorkspace`. */
export interface ListWorkspaceActionsOptions {
  readonly since?: Date | undefined;
  /** At most this many, newest first: 1 to 100,000. Default 20,000. */
  readonly limit?: number | undefined;
}

/** Options of `ActionHistoryStore.listFeedback`: filters by suggestion kind and key. */
export interface ListFeedbackOptions {
  readonly kind?: SuggestionKind | undefined;
  readonly key?: string | undefined;
  /** At most this many, newest first: 1 to 10,000. Default 1,000. */
  readonly limit?: number | undefined;
}

/** What a deletion from the action history removed: how many actions and feedback records. */
export interface ActionHistoryRemoval {
  readonly actions: number;
  readonly feedback: number;
}

/**
 * What users did and how they answered suggestions: the input of pattern and timing learning. Writes and
 * per-user reads take a user scope; `listWorkspace`, `deleteScope` and `deleteOlderThan` take a workspace
 * scope too. Every read is bounded by a limit.
 */
export interface ActionHistoryStore {
  readonly name: string;
  /** Records up to 1,000 actions. */
  record(scope: Scope, actions: readonly NewAction[]): Promise<ActionRecord[]>;
  list(scope: Scope, options?: ListActionsOptions): Promise<ActionRecord[]>;
  /** The workspace's actions across its users, newest first. Takes a workspace scope. */
  listWorkspace(scope: Scope, options?: ListWorkspaceActionsOptions): Promise<ActionRecord[]>;
  recordFeedback(scope: Scope, feedback: NewSuggestionFeedback): Promise<SuggestionFeedback>;
  listFeedback(scope: Scope, options?: ListFeedbackOptions): Promise<SuggestionFeedback[]>;
  /** Deletes a user's actions and feedback, or (workspace scope) all of the workspace's. */
  deleteScope(scope: Scope): Promise<ActionHistoryRemoval>;
  /** Retention: deletes actions and feedback older than `cutoff`. */
  deleteOlderThan(scope: Scope, cutoff: Date): Promise<ActionHistoryRemoval>;
  close?(): Promise<void>;
}
