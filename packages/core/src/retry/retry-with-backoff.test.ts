import { describe, expect, it } from 'vitest';
import { AbortError, ProviderError } from '../errors';
import { backoffDelayMs, type RetryWithBackoffOptions, retryWithBackoff } from './retry-with-backoff';
import { shouldRetryNeptuneError } from './should-retry-neptune-error';

const options = (overrides: Partial<RetryWithBackoffOptions> = {}): RetryWithBackoffOptions => ({
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  shouldRetry: () => true,
  ...overrides,
});

/** The server asked for `delayMs` on every failure. */
const serverDelay = (delayMs: number) => () => ({ delayMs });

describe('backoffDelayMs', () => {
  it('draws uniformly below a ceiling that doubles per retry and stops at maxDelayMs', () => {
    const half = options({ random: () => 0.5 });
    expect([0, 1, 2, 3, 4, 5].map((retryIndex) => backoffDelayMs(retryIndex, half))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect(backoffDelayMs(2, options({ random: () => 0 }))).toBe(0);
    expect(backoffDelayMs(2, options({ random: () => 0.999 }))).toBe(399);
  });
});

describe('retryWithBackoff', () => {
  it('retries until success, reporting each wait', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'done';
      },
      options({ baseDelayMs: 4, random: () => 0.5, onRetry: ({ delayMs }) => waits.push(delayMs) }),
    );
    expect(value).toBe('done');
    expect(waits).toEqual([2, 4]);
  });

  it('passes the attempt index to the operation and to shouldRetry, and stops after maxRetries', async () => {
    const attempts: number[] = [];
    const asked: number[] = [];
    const retries: number[] = [];
    const failure = new Error('always');
    await expect(
      retryWithBackoff(
        async (attempt) => {
          attempts.push(attempt);
          throw failure;
        },
        options({
          maxRetries: 2,
          baseDelayMs: 1,
          shouldRetry: (_error, attempt) => {
            asked.push(attempt);
            return true;
          },
          onRetry: ({ retry }) => retries.push(retry),
        }),
      ),
    ).rejects.toBe(failure);
    expect(attempts).toEqual([0, 1, 2]);
    // Not asked about the last failure: no retry is left to decide on.
    expect(asked).toEqual([0, 1]);
    expect(retries).toEqual([1, 2]);
  });

  it('rethrows at once an error that is not retryable', async () => {
    let calls = 0;
    const failure = new Error('bad request');
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw failure;
        },
        options({ shouldRetry: () => false }),
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it('uses the server delay instead of backoff, and gives up when it is over maxDelayMs', async () => {
    const waits: number[] = [];
    let calls = 0;
    const task = async () => {
      calls++;
      throw new Error(`attempt ${calls}`);
    };
    await expect(
      retryWithBackoff(
        task,
        options({
          maxRetries: 1,
          shouldRetry: serverDelay(7),
          onRetry: ({ delayMs }) => waits.push(delayMs),
        }),
      ),
    ).rejects.toThrow('attempt 2');
    expect(waits).toEqual([7]);
    calls = 0;
    await expect(retryWithBackoff(task, options({ shouldRetry: serverDelay(5000) }))).rejects.toThrow(
      'attempt 1',
    );
  });

  it('ends a wait with AbortError when the signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await retryWithBackoff(
      async () => {
        throw new Error('busy');
      },
      options({ signal: controller.signal, shouldRetry: serverDelay(900) }),
    ).catch((caught: unknown) => caught);
    expect(AbortError.isInstance(error)).toBe(true);
  });

  it('does not start when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const error = await retryWithBackoff(
      async () => {
        calls++;
      },
      options({ signal: controller.signal }),
    ).catch((caught: unknown) => caught);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(calls).toBe(0);
  });
});

describe('retryWithBackoff with shouldRetryNeptuneError', () => {
  const retryable = new ProviderError({ message: 'busy', isRetryable: true });
  const policy = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 20, shouldRetry: shouldRetryNeptuneError };

  /** Runs `retryWithBackoff` over an operation that always throws `error`; says how many attempts it made. */
  async function attemptsUntilGivingUp(error: unknown): Promise<number> {
    let attempts = 0;
    await expect(
      retryWithBackoff(async () => {
        attempts++;
        throw error;
      }, policy),
    ).rejects.toBe(error);
    return attempts;
  }

  it('retries retryable failures until success, and stops at once on others', async () => {
    let attempts = 0;
    const value = await retryWithBackoff(async () => {
      attempts++;
      if (attempts < 3) throw retryable;
      return 'ok';
    }, policy);
    expect([value, attempts]).toEqual(['ok', 3]);

    expect(await attemptsUntilGivingUp(new ProviderError({ message: 'bad request' }))).toBe(1);
    expect(await attemptsUntilGivingUp(new Error('not a Neptune error'))).toBe(1);
    expect(await attemptsUntilGivingUp(retryable)).toBe(4);
  });

  it('gives up when the server asks for a wait longer than maxDelayMs, and ends a wait on abort', async () => {
    const rateLimited = new ProviderError({
      message: 'slow down',
      isRetryable: true,
      details: { retryAfterMs: 60_000 },
    });
    expect(await attemptsUntilGivingUp(rateLimited)).toBe(1);

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

describe('shouldRetryNeptuneError', () => {
  it('retries retryable Neptune errors, after the retryAfterMs they carry', () => {
    expect(shouldRetryNeptuneError(new ProviderError({ message: 'busy', isRetryable: true }))).toBe(true);
    expect(
      shouldRetryNeptuneError(
        new ProviderError({ message: 'busy', isRetryable: true, details: { retryAfterMs: 250 } }),
      ),
    ).toEqual({ delayMs: 250 });
    expect(
      shouldRetryNeptuneError(
        new ProviderError({ message: 'busy', isRetryable: true, details: { retryAfterMs: undefined } }),
      ),
    ).toBe(true);
    expect(shouldRetryNeptuneError(new ProviderError({ message: 'no', details: { retryAfterMs: 1 } }))).toBe(
      false,
    );
    expect(shouldRetryNeptuneError(new Error('busy'))).toBe(false);
  });
});
