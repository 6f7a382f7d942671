import { describe, expect, it } from 'vitest';
import { distinctQueries, queryComparisonKey } from './distinct-queries';

describe('distinctQueries', () => {
  it('compares without regard to case, spacing, Unicode width or final punctuation', () => {
    expect(queryComparisonKey('  What  IS\tＲＡＧ ?')).toBe(queryComparisonKey('what is rag'));
    expect(queryComparisonKey('rag pipeline')).not.toBe(queryComparisonKey('rag pipelines'));
  });

  it('keeps the first of equal queries, in order, and drops blanks and restatements of the original', () => {
    expect(
      distinctQueries('Reset my password', [
        'reset my password.',
        '',
        '- Change password',
        'change PASSWORD',
        '2) Password recovery',
      ]),
    ).toEqual(['Change password', 'Password recovery']);
  });
});
