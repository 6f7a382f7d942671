import type { ActionRecord } from '../actions/action-history-store';
import {
  type DetectWorkflowPatternsOptions,
  detectWorkflowPatterns,
} from '../learning/patterns/detect-workflow-patterns';
import { redactPersonalData } from './redact-personal-data';

/** A workflow pattern shared by several users of a workspace, without saying who. */
export interface WorkspacePattern {
  readonly key: string;
  readonly sequence: readonly string[];
  /** Distinct users who follow it; never fewer than the k-anonymity threshold. */
  readonly users: number;
  readonly occurrences: number;
  /** Mean of the users' confidences. */
  readonly meanConfidence: number;
}

/** The workflow patterns a workspace's users share, reported only when enough users share them. */
export interface WorkspaceInsights {
  readonly workspaceId: string;
  readonly patterns: WorkspacePattern[];
  /** Users whose actions were analysed (not who they are). */
  readonly usersAnalysed: number;
  /** The k-anonymity threshold applied: a pattern is reported only when at least this many users share it. */
  readonly minUsers: number;
  readonly generatedAt: Date;
}

/**
 * Patterns shared across the users of one workspace, k-anonymous: each user's patterns are found on
 * redacted action types, then a pattern is reported only when at least `minUsers` distinct users have
 * it. The result names no user and holds counts only. The caller passes one workspace's actions.
 */
export function aggregateWorkspacePatterns(
  workspaceId: string,
  actions: readonly ActionRecord[],
  options: DetectWorkflowPatternsOptions & { readonly minUsers: number; readonly now: Date },
): WorkspaceInsights {
  const byUser = new Map<string, { type: string; occurredAt: Date }[]>();
  for (const action of actions) {
    if (action.workspaceId !== workspaceId) continue;
    const list = byUser.get(action.userId) ?? [];
    list.push({ type: redactPersonalData(action.type), occurredAt: action.occurredAt });
    byUser.set(action.userId, list);
  }
  const shared = new Map<
    string,
    { sequence: readonly string[]; users: number; occurrences: number; confidence: number }
  >();
  for (const userActions of byUser.values()) {
    for (const pattern of detectWorkflowPatterns(userActions, options)) {
      const entry = shared.get(pattern.key) ?? {
        sequence: pattern.sequence,
        users: 0,
        occurrences: 0,
        confidence: 0,
      };
      entry.users++;
      entry.occurrences += pattern.occurrences;
      entry.confidence += pattern.confidence;
      shared.set(pattern.key, entry);
    }
  }
  const patterns = [...shared.entries()]
    .filter(([, entry]) => entry.users >= options.minUsers)
    .map(([key, entry]) => ({
      key,
      sequence: entry.sequence,
      users: entry.users,
      occurrences: entry.occurrences,
      meanConfidence: entry.confidence / entry.users,
    }))
    .sort((a, b) => b.users - a.users || b.occurrences - a.occurrences);
  return {
    workspaceId,
    patterns,
    usersAnalysed: byUser.size,
    minUsers: options.minUsers,
    generatedAt: options.now,
  };
}
