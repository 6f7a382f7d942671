import { TimeoutError } from '../errors';

export interface IdleTimeoutOptions {
  readonly timeoutMs: number;
  /** The stream, as the subject of a sentence, for the error message. */
  readonly what: string;
  /** Runs before the `TimeoutError` is thrown, to cancel the underlying request. */
  readonly onTimeout: () => void;
}

/**
 * Re-yields `iterable`, failing with `TimeoutError` when no item arrives within `timeoutMs`. A stream that
 * stalls mid-answer is otherwise indistinguishable from a slow one, and would hold the request forever.
 */
export async function* withIdleTimeout<T>(
  iterable: AsyncIterable<T>,
  options: IdleTimeoutOptions,
): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      const result = await nextWithin(iterator, options);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Closes the source when the consumer stops early or a wait timed out. Not awaited: a source stuck on a
    // dead connection settles only once `onTimeout` has cancelled it.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

function nextWithin<T>(iterator: AsyncIterator<T>, options: IdleTimeoutOptions): Promise<IteratorResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      options.onTimeout();
      reject(
        new TimeoutError({
          message: `${options.what} sent nothing for ${options.timeoutMs} ms. Raise \`timeoutMs\` if the model is only slow.`,
          details: { timeoutMs: options.timeoutMs },
        }),
      );
    }, options.timeoutMs);
  });
  const next = iterator.next();
  // After a timeout the abandoned `next()` may still reject; that rejection has nowhere to go.
  next.catch(() => {});
  return Promise.race([next, timeout]).finally(() => clearTimeout(timer));
}
