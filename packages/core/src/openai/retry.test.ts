import { describe, expect, it } from 'vitest';
import { AbortError } from '../errors';
import { backoffDelayMs, type RetryPolicy, retry } from './retry';
import { parseRetryAfterMs } from './retry-after';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  isRetryable: () => true,
  ...overrides,
});

describe('backoffDelayMs', () => {
  it('draws uniformly below a ceiling that doubles per retry and stops at maxDelayMs', () => {
    const half = policy({ random: () => 0.5 });
    expect([0, 1, 2, 3, 4, 5].map((retryIndex) => backoffDelayMs(retryIndex, half))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect(backoffDelayMs(2, policy({ random: () => 0 }))).toBe(0);
    expect(backoffDelayMs(2, policy({ random: () => 0.999 }))).toBe(399);
  });
});

describe('retry', () => {
  it('retries until success, reporting each wait', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'done';
      },
      policy({ baseDelayMs: 4, random: () => 0.5, onRetry: ({ delayMs }) => waits.push(delayMs) }),
    );
    expect(value).toBe('done');
    expect(waits).toEqual([2, 4]);
  });

  it('rethrows at once an error that is not retryable', async () => {
    let calls = 0;
    const failure = new Error('bad request');
    await expect(
      retry(
        async () => {
          calls++;
          throw failure;
        },
        policy({ isRetryable: () => false }),
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
      retry(
        task,
        policy({ maxRetries: 1, serverDelayMs: () => 7, onRetry: ({ delayMs }) => waits.push(delayMs) }),
      ),
    ).rejects.toThrow('attempt 2');
    expect(waits).toEqual([7]);
    calls = 0;
    await expect(retry(task, policy({ serverDelayMs: () => 5000 }))).rejects.toThrow('attempt 1');
  });

  it('ends a wait with AbortError when the signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await retry(
      async () => {
        throw new Error('busy');
      },
      policy({ signal: controller.signal, serverDelayMs: () => 900 }),
    ).catch((caught: unknown) => caught);
    expect(AbortError.isInstance(error)).toBe(true);
  });
});

describe('parseRetryAfterMs', () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it('prefers retry-after-ms, then reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    const nowMs = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), nowMs)).toBe(3000);
  });

  it('returns undefined when there is no usable header', () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(headers({}))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '-5' }))).toBeUndefined();
  });
});
