import { AbortError, TimeoutError } from '@neptune/core';

/**
 * Waits for `promise` for at most `timeoutMs`, or until `signal` fires. Unlike `withTimeout` from core, the
 * work itself is not cancelled: a cached load the request stopped waiting for may still fill the cache.
 */
export function waitAtMost<T>(
  promise: Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; what: string },
): Promise<T> {
  const { timeoutMs, signal, what } = options;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanUp();
      reject(
        new TimeoutError({
          message: `${what} did not answer within ${timeoutMs} ms.`,
          details: { timeoutMs },
        }),
      );
    }, timeoutMs);
    const onAbort = () => {
      cleanUp();
      reject(
        new AbortError({
          message: `${what} was aborted by the caller's AbortSignal.`,
          cause: signal?.reason,
        }),
      );
    };
    const cleanUp = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}
