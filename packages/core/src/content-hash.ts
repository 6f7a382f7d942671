import { checkArgument } from './validation';

const encoder = new TextEncoder();
/** Deeper than any value a cache key or a request is made of; a deeper one is refused, not overflowed. */
const MAX_DEPTH = 1_000;

/** SHA-256 of a string as lowercase hex, through Web Crypto (Node 20 and edge runtimes alike). */
export async function sha256Hex(text: string): Promise<string> {
  checkArgument(typeof text === 'string', 'sha256Hex: text', 'a string', text);
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Stable JSON: object keys sorted, so equal values always hash equally. */
export function stableStringify(value: unknown): string {
  return stringifyAt(value, 0);
}

function stringifyAt(value: unknown, depth: number): string {
  checkArgument(
    depth <= MAX_DEPTH,
    'stableStringify: value',
    `nested at most ${MAX_DEPTH} levels deep`,
    '(deeper)',
  );
  if (Array.isArray(value)) return `[${value.map((item) => stringifyAt(item, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stringifyAt(item, depth + 1)}`).join(',')}}`;
  }
  checkArgument(typeof value !== 'bigint', 'stableStringify: value', 'JSON-compatible (no bigint)', value);
  return JSON.stringify(value) ?? 'null';
}
