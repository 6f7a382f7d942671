import { describe, expect, it } from 'vitest';
import { sleep, throwIfAborted, withTimeout } from './async';
import { AbortError, TimeoutError, ValidationError } from './errors';

describe('withTimeout', () => {
  it('returns the result when in time', async () => {
    await expect(withTimeout(async () => 42, { timeoutMs: 1000, what: 'x' })).resolves.toBe(42);
  });

  it('aborts the task and throws TimeoutError past the deadline', async () => {
    let taskSignal: AbortSignal | undefined;
    const run = withTimeout(
      (signal) => {
        taskSignal = signal;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      { timeoutMs: 20, what: 'The lookup' },
    );
    await expect(run).rejects.toSatisfy(
      (error) =>
        TimeoutError.isInstance(error) &&
        /The lookup did not finish within 20 ms/.test((error as Error).message),
    );
    expect(taskSignal?.aborted).toBe(true);
  });

  it('turns the caller abort into AbortError and passes it to the task', async () => {
    const controller = new AbortController();
    const run = withTimeout(
      (signal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))),
      { timeoutMs: 5000, signal: controller.signal, what: 'x' },
    );
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(AbortError);
  });
});

describe('withTimeout with a task that ignores its signal', () => {
  it('still settles at the deadline, and at the caller abort', async () => {
    const deaf = () => new Promise<never>(() => {});
    await expect(withTimeout(deaf, { timeoutMs: 20, what: 'The deaf call' })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    const controller = new AbortController();
    const pending = withTimeout(deaf, { timeoutMs: 60_000, signal: controller.signal, what: 'x' });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});

describe('sleep and throwIfAborted', () => {
  it('sleep rejects at once on abort', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(() => throwIfAborted(controller.signal)).toThrow(AbortError);
    expect(() => throwIfAborted(undefined)).not.toThrow();
  });
});

describe('bad arguments', () => {
  // Before the check, `sleep(ms, {})` rejected and then its timer threw an uncaught TypeError that ended the process.
  it('sleep rejects a non-signal with ValidationError and leaves no timer behind to throw later', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      for (const notASignal of [{}, { aborted: false }, 'signal', 42, null]) {
        await expect(sleep(5, notASignal as never)).rejects.toSatisfy(
          (error) => ValidationError.isInstance(error) && /signal must be an AbortSignal/.test(String(error)),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('sleep rejects a non-number wait, and withTimeout a bad task, timeout or signal', async () => {
    await expect(sleep(Number.NaN)).rejects.toBeInstanceOf(ValidationError);
    await expect(sleep('10' as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(sleep(-5)).resolves.toBeUndefined();
    await expect(withTimeout(42 as never, { timeoutMs: 10, what: 'x' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(withTimeout(async () => 1, { timeoutMs: Number.NaN, what: 'x' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      withTimeout(async () => 1, { timeoutMs: 10, what: 'x', signal: {} as never }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(() => throwIfAborted({} as never)).toThrow(ValidationError);
  });
});
