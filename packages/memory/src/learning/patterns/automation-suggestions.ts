import type { SuggestionFeedback } from '../../actions/action-history-store';
import type { WorkflowPattern } from './detect-workflow-patterns';

/** An automation to offer the user: a workflow pattern's last step, done after the steps before it. */
export interface AutomationSuggestion {
  /** Pass back in `recordFeedback({ kind: 'pattern', key, accepted })`. */
  readonly key: string;
  readonly pattern: WorkflowPattern;
  /** The steps that trigger the automation. */
  readonly trigger: readonly string[];
  /** The step to automate: what usually follows them. */
  readonly nextStep: string;
  /** Ranking score: confidence × log2(1 + occurrences) × the feedback factor. */
  readonly score: number;
  /** A sentence to show the user. */
  readonly description: string;
  readonly feedback: { readonly accepted: number; readonly rejected: number };
}

/**
 * Feedback as a factor with a Laplace prior: 1 with none, towards 2 as acceptances add up, towards 0 as
 * rejections do. A suggestion rejected twice and never accepted more often than rejected is withdrawn.
 */
function feedbackFactor(accepted: number, rejected: number): number {
  return (2 * (accepted + 1)) / (accepted + rejected + 2);
}

/** Turns patterns into ranked automation suggestions, learning from what the user accepted and rejected. */
export function toAutomationSuggestions(
  patterns: readonly WorkflowPattern[],
  feedback: readonly SuggestionFeedback[],
): AutomationSuggestion[] {
  const tally = new Map<string, { accepted: number; rejected: number }>();
  for (const row of feedback) {
    if (row.kind !== 'pattern') continue;
    const counts = tally.get(row.key) ?? { accepted: 0, rejected: 0 };
    if (row.accepted) counts.accepted++;
    else counts.rejected++;
    tally.set(row.key, counts);
  }
  return patterns
    .map((pattern): AutomationSuggestion => {
      const counts = tally.get(pattern.key) ?? { accepted: 0, rejected: 0 };
      const trigger = pattern.sequence.slice(0, -1);
      const nextStep = pattern.sequence.at(-1)!;
      const percent = Math.round(pattern.confidence * 100);
      return {
        key: pattern.key,
        pattern,
        trigger,
        nextStep,
        score:
          pattern.confidence *
          Math.log2(1 + pattern.occurrences) *
          feedbackFactor(counts.accepted, counts.rejected),
        description: `After ${trigger.join(' then ')}, you did ${nextStep} next ${percent}% of the time (${pattern.occurrences} times). Do it automatically?`,
        feedback: counts,
      };
    })
    .filter(
      (suggestion) =>
        !(suggestion.feedback.rejected >= 2 && suggestion.feedback.rejected > suggestion.feedback.accepted),
    )
    .sort((a, b) => b.score - a.score);
}
