/** Minimal header access, satisfied by the Fetch `Headers` the openai client attaches to its errors. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long the server asked us to wait, in ms, or `undefined` when it did not say. `retry-after-ms` (sent by
 * OpenAI) wins over the standard `Retry-After`, which may hold seconds (fractions accepted) or an HTTP date.
 */
export function parseRetryAfterMs(headers: HeaderReader | undefined, nowMs = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = parseNonNegative(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return milliseconds;
  const header = headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = parseNonNegative(header);
  if (seconds !== undefined) return seconds * 1000;
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

function parseNonNegative(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
