import { AbortError, describeValue, TimeoutError, ValidationError } from './errors';

/**
 * Checks that `signal` is an `AbortSignal` (or absent) before anything is scheduled: a plain object passed
 * as a signal would otherwise make a timer callback throw later, outside any promise, and end the process.
 */
export function assertAbortSignal(signal: unknown, what: string): asserts signal is AbortSignal | undefined {
  if (signal === undefined) return;
  const candidate = signal as Partial<AbortSignal> | null;
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  ) {
    return;
  }
  throw new ValidationError({
    message: `${what}: signal must be an AbortSignal (for example \`AbortSignal.timeout(ms)\` or \`controller.signal\`) or undefined (received ${describeValue(signal)}).`,
    details: { field: 'signal' },
  });
}

function assertDuration(ms: unknown, field: string, what: string): asserts ms is number {
  if (typeof ms === 'number' && Number.isFinite(ms)) return;
  throw new ValidationError({
    message: `${what}: ${field} must be a finite number of milliseconds (received ${describeValue(ms)}).`,
    details: { field },
  });
}

/** Throws `AbortError` when the signal has fired, keeping the signal's reason as the cause. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'The operation'): void {
  assertAbortSignal(signal, 'throwIfAborted');
  if (signal?.aborted) {
    throw new AbortError({
      message: `${what} was aborted by the caller's AbortSignal.`,
      cause: signal.reason,
    });
  }
}

/** Resolves after `ms` milliseconds (a negative wait counts as 0), or rejects with `AbortError` as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // Checked inside the executor so a bad argument rejects like any other failure, before a timer exists.
    assertDuration(ms, 'ms', 'sleep');
    assertAbortSignal(signal, 'sleep');
    if (signal?.aborted) {
      reject(new AbortError({ message: 'Sleep was aborted.', cause: signal.reason }));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError({ message: 'Sleep was aborted.', cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `task` with a deadline. The task receives a signal that fires on timeout or when the caller's
 * signal fires, so the underlying request is cancelled too rather than left running. The returned promise
 * settles at the deadline (or the caller's abort) even if the task ignores its signal and never settles:
 * a hung call is bounded whatever it does.
 */
export function withTimeout<T>(
  task: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; what: string },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (typeof task !== 'function') {
      throw new ValidationError({
        message: `withTimeout: task must be a function (received ${describeValue(task)}).`,
        details: { field: 'task' },
      });
    }
    if (typeof options !== 'object' || options === null) {
      throw new ValidationError({
        message: `withTimeout: options must be an object with timeoutMs and what (received ${describeValue(options)}).`,
        details: { field: 'options' },
      });
    }
    const { timeoutMs, signal, what } = options;
    assertDuration(timeoutMs, 'timeoutMs', 'withTimeout');
    assertAbortSignal(signal, 'withTimeout');
    throwIfAborted(signal, what);

    const controller = new AbortController();
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      finish();
    };
    const timer = setTimeout(() => {
      const error = new TimeoutError({
        message: `${what} did not finish within ${timeoutMs} ms.`,
        details: { timeoutMs },
      });
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      settle(() => reject(error));
    }, timeoutMs);
    const onAbort = () => {
      controller.abort(signal?.reason);
      settle(() =>
        reject(
          new AbortError({
            message: `${what} was aborted by the caller's AbortSignal.`,
            cause: signal?.reason,
          }),
        ),
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = task(controller.signal);
    } catch (error) {
      settle(() => reject(error));
      return;
    }
    Promise.resolve(pending).then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
