import { describe, expect, it } from 'vitest';
import { DEMO_QUESTIONS, runDemo } from '../src/demo';

describe('README demo', () => {
  it('runs offline and finds the article that answers each question', async () => {
    const lines: string[] = [];
    const result = await runDemo((line) => lines.push(line));
    expect(result.documents).toBe(12);
    expect(result.tokens.o200k).toBeGreaterThan(500);
    const topIds = result.answers.map((answer) => answer.hits[0]!.id);
    expect(topIds).toEqual(['billing-refunds', 'security-sso', 'api-rate-limits']);
    expect(result.answers.map((answer) => answer.question)).toEqual(DEMO_QUESTIONS);
    expect(lines.join('\n')).toContain('Refund policy');
  });
});
