import { nodeSha256Hex, webSha256Hex } from './sha256';
import { checkArgument } from './validation';

/** Deeper than any value a cache key or a request is made of; a deeper one is refused, not overflowed. */
const MAX_DEPTH = 1_000;

/**
 * SHA-256 of a string as lowercase hex. In Node (and Bun, Deno) through `node:crypto`, found at run time
 * with `process.getBuiltinModule` so that nothing imports it on the edge: synchronous, about a
 * microsecond for a chunk, where Web Crypto's `digest` is a round trip to the thread pool (an ingestion
 * hashes every document and chunk, so those round trips were most of its idle time). Elsewhere, and on
 * Node before 20.16, through Web Crypto. Both give the same digest of the text's UTF-8 bytes.
 */
export async function sha256Hex(text: string): Promise<string> {
  checkArgument(typeof text === 'string', 'sha256Hex: text', 'a string', text);
  return nodeSha256Hex === undefined ? webSha256Hex(text) : nodeSha256Hex(text);
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
