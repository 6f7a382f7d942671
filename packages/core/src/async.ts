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
 * signal fires, so the underlying request is cancelled too rather than left running.
 */
export async function withTimeout<T>(
  task: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; what: string },
): Promise<T> {
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
  assertDuration(options.timeoutMs, 'timeoutMs', 'withTimeout');
  assertAbortSignal(options.signal, 'withTimeout');
  throwIfAborted(options.signal, options.what);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${options.timeoutMs} ms`));
  }, options.timeoutMs);
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await task(controller.signal);
  } catch (error) {
    if (timedOut) {
      throw new TimeoutError({
        message: `${options.what} did not finish within ${options.timeoutMs} ms.`,
        cause: error,
        details: { timeoutMs: options.timeoutMs },
      });
    }
    if (options.signal?.aborted) throwIfAborted(options.signal, options.what);
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
