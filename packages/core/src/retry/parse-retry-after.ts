import { checkArgument } from '../validation';

/** Minimal header access, satisfied by Fetch `Headers` and by the headers the openai client attaches to its errors. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long the server asked us to wait, in ms, or `undefined` when it did not say or cannot be read.
 *
 * Given headers, `retry-after-ms` (sent by OpenAI) wins over the standard `Retry-After`. Given a string, it is
 * read as a `Retry-After` value alone: seconds (fractions accepted) or an HTTP date, which counts from `nowMs`
 * and never gives less than 0. Negative or non-numeric millisecond values are ignored.
 */
export function parseRetryAfter(
  source: HeaderReader | string | null | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (source === undefined || source === null) return undefined;
  if (typeof source === 'string') return parseRetryAfterValue(source, nowMs);
  checkArgument(
    typeof source === 'object' && typeof source.get === 'function',
    'parseRetryAfter: source',
    'response headers (with a get method), a Retry-After value, or undefined',
    source,
  );
  const milliseconds = parseNonNegative(source.get('retry-after-ms'));
  if (milliseconds !== undefined) return milliseconds;
  const value = source.get('retry-after');
  return value === null ? undefined : parseRetryAfterValue(value, nowMs);
}

/** A `Retry-After` value: a number is seconds (a negative one is unusable), anything else an HTTP date. */
function parseRetryAfterValue(value: string, nowMs: number): number | undefined {
  if (value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const dateMs = Date.parse(value);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

function parseNonNegative(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
