import { describe, expect, it } from 'vitest';
import { detectWorkflowPatterns, type TimedAction } from './detect-workflow-patterns';

const MINUTE = 60_000;
/** Sessions of actions, each a day apart, one minute between steps. */
function history(...sessions: string[][]): TimedAction[] {
  return sessions.flatMap((types, day) =>
    types.map((type, step) => ({
      type,
      occurredAt: new Date(Date.UTC(2025, 0, 6 + day, 9) + step * MINUTE),
    })),
  );
}

describe('detectWorkflowPatterns', () => {
  it('finds a sequence done three times, with support and confidence', () => {
    const actions = history(
      ['deal.update', 'email.send', 'task.create'],
      ['deal.update', 'email.send', 'task.create'],
      ['note.add'],
      ['deal.update', 'email.send', 'task.create'],
      ['deal.update', 'call.log'],
    );
    const [pattern, ...rest] = detectWorkflowPatterns(actions);
    expect(pattern).toMatchObject({
      key: 'deal.update → email.send → task.create',
      sequence: ['deal.update', 'email.send', 'task.create'],
      occurrences: 3,
      support: 3 / 5,
      confidence: 1,
    });
    // "deal.update → email.send" occurs as often as the longer pattern, so only the longer is reported.
    expect(rest).toEqual([]);
  });

  it('ignores sequences seen fewer times than the minimum, and lowers confidence when the next step varies', () => {
    const actions = history(['a', 'b'], ['a', 'b'], ['a', 'c'], ['a', 'b'], ['x', 'y'], ['x', 'y']);
    const patterns = detectWorkflowPatterns(actions);
    expect(patterns.map((pattern) => pattern.key)).toEqual(['a → b']);
    expect(patterns[0]!.confidence).toBe(3 / 4);
    expect(detectWorkflowPatterns(actions, { minOccurrences: 2 }).map((pattern) => pattern.key)).toContain(
      'x → y',
    );
  });

  it('never joins steps across a pause longer than the session gap, and treats a burst as one step', () => {
    const spread = ['a', 'b', 'a', 'b', 'a', 'b'].map((type, index) => ({
      type,
      occurredAt: new Date(Date.UTC(2025, 0, 6) + index * 60 * MINUTE),
    }));
    expect(detectWorkflowPatterns(spread)).toEqual([]);
    const bursts = history(['a', 'a', 'a', 'b'], ['a', 'b', 'b'], ['a', 'a', 'b']);
    expect(detectWorkflowPatterns(bursts).map((pattern) => [pattern.key, pattern.occurrences])).toEqual([
      ['a → b', 3],
    ]);
  });
});
