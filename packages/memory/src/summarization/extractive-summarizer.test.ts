import { createTokenizer } from '@neptune/core/tokenizer';
import { describe, expect, it } from 'vitest';
import { expectRejection } from '../testing/expect-rejection';
import { extractiveSummarizer } from './extractive-summarizer';

describe('extractiveSummarizer', () => {
  it('keeps the most informative sentences within the budget, in their original order', async () => {
    const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
    const summarizer = extractiveSummarizer({ tokenizer });
    const summary = await summarizer.summarize(
      [
        { role: 'user', content: 'Hi there! How are you today?' },
        { role: 'assistant', content: 'Great, thanks. What can I do for you?' },
        {
          role: 'user',
          content: 'Our budget is $40k. The launch date is September 15. Sarah Chen owns the email side.',
        },
        { role: 'assistant', content: 'Got it.' },
      ],
      { maxTokens: 24 },
    );
    expect(tokenizer.count(summary)).toBeLessThanOrEqual(24);
    expect(summary).toContain('Our budget is $40k.');
    expect(summary).not.toMatch(/How are you|Got it/);
    expect(summary).toBe(
      'Our budget is $40k.\nThe launch date is September 15.\nSarah Chen owns the email side.',
    );
  });

  it('carries the previous summary forward when the budget allows', async () => {
    const summarizer = extractiveSummarizer();
    const summary = await summarizer.summarize(['The deadline moved to April 30.'], {
      maxTokens: 200,
      previousSummary: 'Our budget is $40k.',
    });
    expect(summary).toBe('Our budget is $40k.\nThe deadline moved to April 30.');
    await expectRejection(() => summarizer.summarize(['x'], { maxTokens: 0 }), 'invalid-argument');
  });
});
