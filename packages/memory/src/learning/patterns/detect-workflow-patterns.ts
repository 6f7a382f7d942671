/** An action type and when it happened: what workflow patterns are found in. */
export interface TimedAction {
  readonly type: string;
  readonly occurredAt: Date;
}

/** A sequence of actions a user repeats, and how often and reliably. */
export interface WorkflowPattern {
  /** Stable identity of the sequence, used to record feedback: the types joined by " → ". */
  readonly key: string;
  readonly sequence: readonly string[];
  /** Times the whole sequence was done (non-overlapping, within sessions). */
  readonly occurrences: number;
  /** Share of sessions in which it was done, 0 to 1. */
  readonly support: number;
  /** How often the last step followed the steps before it: occurrences / occurrences of the prefix. */
  readonly confidence: number;
  readonly lastSeenAt: Date;
}

/** Options of `detectWorkflowPatterns`. */
export interface DetectWorkflowPatternsOptions {
  /** Fewest occurrences for a sequence to count as a pattern. Default 3 (the plan's "repeats 3+ times"). */
  readonly minOccurrences?: number | undefined;
  /** Longest sequence looked for. Default 4. */
  readonly maxLength?: number | undefined;
  /** A pause longer than this starts a new session; sequences never span sessions. Default 30 minutes. */
  readonly sessionGapMs?: number | undefined;
}

export const PATTERN_KEY_SEPARATOR = ' → ';

interface Count {
  occurrences: number;
  sessions: number;
  lastSeenAt: number;
}

/** Splits time-ordered actions into sessions at pauses, collapsing immediate repeats (a burst is one step). */
function sessionsOf(actions: readonly TimedAction[], sessionGapMs: number): { type: string; at: number }[][] {
  const ordered = [...actions].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const sessions: { type: string; at: number }[][] = [];
  let current: { type: string; at: number }[] = [];
  for (const action of ordered) {
    const at = action.occurredAt.getTime();
    const last = current.at(-1);
    if (last !== undefined && at - last.at > sessionGapMs) {
      sessions.push(current);
      current = [];
    }
    if (current.at(-1)?.type === action.type) current[current.length - 1] = { type: action.type, at };
    else current.push({ type: action.type, at });
  }
  if (current.length > 0) sessions.push(current);
  return sessions;
}

/** Non-overlapping occurrences of every sequence of `length` steps, and how many sessions hold each. */
function countSequences(sessions: { type: string; at: number }[][], length: number): Map<string, Count> {
  const counts = new Map<string, Count>();
  for (const session of sessions) {
    const endOfLast = new Map<string, number>();
    for (let start = 0; start + length <= session.length; start++) {
      const key = session
        .slice(start, start + length)
        .map((step) => step.type)
        .join(PATTERN_KEY_SEPARATOR);
      const previousEnd = endOfLast.get(key);
      if (previousEnd !== undefined && previousEnd > start) continue;
      const count = counts.get(key) ?? { occurrences: 0, sessions: 0, lastSeenAt: 0 };
      if (previousEnd === undefined) count.sessions++;
      endOfLast.set(key, start + length);
      count.occurrences++;
      count.lastSeenAt = Math.max(count.lastSeenAt, session[start + length - 1]!.at);
      counts.set(key, count);
    }
  }
  return counts;
}

/**
 * Workflow patterns in one user's action history: sequences of 2 to `maxLength` actions done at least
 * `minOccurrences` times within sessions, with support and confidence. A pattern contained in a longer
 * one that occurs as often is dropped, so "A → B → C" is reported once rather than also as "A → B".
 */
export function detectWorkflowPatterns(
  actions: readonly TimedAction[],
  options: DetectWorkflowPatternsOptions = {},
): WorkflowPattern[] {
  const minOccurrences = options.minOccurrences ?? 3;
  const maxLength = options.maxLength ?? 4;
  const sessions = sessionsOf(actions, options.sessionGapMs ?? 30 * 60_000);
  const byLength = new Map<number, Map<string, Count>>();
  for (let length = 1; length <= maxLength; length++) byLength.set(length, countSequences(sessions, length));

  const patterns: WorkflowPattern[] = [];
  for (let length = 2; length <= maxLength; length++) {
    for (const [key, count] of byLength.get(length)!) {
      if (count.occurrences < minOccurrences) continue;
      const sequence = key.split(PATTERN_KEY_SEPARATOR);
      const prefix = sequence.slice(0, -1).join(PATTERN_KEY_SEPARATOR);
      const prefixOccurrences = byLength.get(length - 1)!.get(prefix)?.occurrences ?? count.occurrences;
      patterns.push({
        key,
        sequence,
        occurrences: count.occurrences,
        support: sessions.length === 0 ? 0 : count.sessions / sessions.length,
        confidence: Math.min(1, count.occurrences / prefixOccurrences),
        lastSeenAt: new Date(count.lastSeenAt),
      });
    }
  }
  const contains = (longer: WorkflowPattern, shorter: WorkflowPattern) =>
    longer.sequence.length > shorter.sequence.length &&
    `${PATTERN_KEY_SEPARATOR}${longer.key}${PATTERN_KEY_SEPARATOR}`.includes(
      `${PATTERN_KEY_SEPARATOR}${shorter.key}${PATTERN_KEY_SEPARATOR}`,
    );
  return patterns
    .filter(
      (pattern) =>
        !patterns.some((other) => contains(other, pattern) && other.occurrences >= pattern.occurrences),
    )
    .sort(
      (a, b) =>
        b.occurrences * b.confidence - a.occurrences * a.confidence || b.sequence.length - a.sequence.length,
    );
}
