import { AbortError, ProviderError } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryWithBackoff } from './retry-with-backoff';

const retryable = new ProviderError({ message: 'busy', isRetryable: true });
const policy = {
  maxRetries: 3,
  baseDelayMs: 1,
  maxDelayMs: 20,
  isRetryable: (error: unknown) => error instanceof ProviderError && error.isRetryable,
};

describe('retryWithBackoff', () => {
  it('retries retryable failures until success, and stops at once on others', async () => {
    let attempts = 0;
    const value = await retryWithBackoff(async () => {
      attempts++;
      if (attempts < 3) throw retryable;
      return 'ok';
    }, policy);
    expect([value, attempts]).toEqual(['ok', 3]);

    attempts = 0;
    const fatal = new ProviderError({ message: 'bad request' });
    await expect(
      retryWithBackoff(async () => {
        attempts++;
        throw fatal;
      }, policy),
    ).rejects.toBe(fatal);
    expect(attempts).toBe(1);
  });

  it('gives up when the server asks for a wait longer than maxDelayMs, and ends a wait on abort', async () => {
    let attempts = 0;
    await expect(
      retryWithBackoff(
        async () => {
          attempts++;
          throw retryable;
        },
        { ...policy, serverDelayMs: () => 60_000 },
      ),
    ).rejects.toBe(retryable);
    expect(attempts).toBe(1);

    const controller = new AbortController();
    const waiting = retryWithBackoff(
      async () => {
        throw retryable;
      },
      { ...policy, baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 0.99, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(waiting).rejects.toSatisfy(AbortError.isInstance);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});
