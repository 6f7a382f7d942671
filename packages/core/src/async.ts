import { AbortError, TimeoutError } from './errors';

/** Throws `AbortError` when the signal has fired, keeping the signal's reason as the cause. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'The operation'): void {
  if (signal?.aborted) {
    throw new AbortError({
      message: `${what} was aborted by the caller's AbortSignal.`,
      cause: signal.reason,
    });
  }
}

/** Resolves after `ms` milliseconds, or rejects with `AbortError` as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
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
