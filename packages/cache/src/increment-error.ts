import { ValidationError } from '@neptune/core';

/** Redis answers INCRBY on text with `ERR value is not an integer`: that is bad input, not an outage. */
export function toIncrementError(error: unknown, key: string): unknown {
  if (error instanceof Error && /not an integer|out of range|overflow/i.test(error.message)) {
    return new ValidationError({
      message: `Cannot increment ${JSON.stringify(key.slice(0, 80))}: its value is not an integer or the result is out of range.`,
      cause: error,
    });
  }
  return error;
}
