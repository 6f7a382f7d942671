import { type EncodedValue, reviveDates } from './value-codec';

/** One cached value as stored, with what is needed to judge it on read. */
export interface CacheEntry {
  /** Epoch ms until which the value is fresh. */
  readonly freshUntil: number;
  /** Epoch ms until which it may still be served stale (fresh + grace). */
  readonly staleUntil: number;
  /** The invalidation stamps current when the value was loaded; a different stamp now means invalidated. */
  readonly stamp: string;
  /** Sorted tags the entry can be invalidated by. */
  readonly tags: readonly string[];
  /** The stored text. Parsing it again gives a private copy of the value. */
  readonly text: string;
}

/** An entry and its value, from one parse. */
export interface ParsedEntry {
  readonly entry: CacheEntry;
  readonly value: unknown;
}

const FORMAT_VERSION = 1;

/**
 * One JSON array: `["j",1,freshUntil,staleUntil,"stamp",["tags"],VALUE]`, the value's JSON embedded as it
 * is. A hit then costs a single `JSON.parse` for header and value together, and the leading format letter
 * says before parsing whether Dates need reviving.
 */
export function createEntry(encoded: EncodedValue, fields: Omit<CacheEntry, 'text'>): CacheEntry {
  const text = `["${encoded.format}",${FORMAT_VERSION},${fields.freshUntil},${fields.staleUntil},${JSON.stringify(fields.stamp)},${JSON.stringify(fields.tags)},${encoded.json}]`;
  return { ...fields, text };
}

/** The entry and its value, or undefined for text that is not one (another writer's key, another format). */
export function parseEntry(text: string): ParsedEntry | undefined {
  // `["j",` / `["d",` / `["u",`: the format letter is the third character.
  const format = text.charCodeAt(2);
  if (text.charCodeAt(0) !== 91 || (format !== 106 && format !== 100 && format !== 117)) return undefined;
  try {
    const parts = (format === 100 ? JSON.parse(text, reviveDates) : JSON.parse(text)) as unknown[];
    const [, version, freshUntil, staleUntil, stamp, tags, value] = parts;
    if (version !== FORMAT_VERSION || parts.length !== 7) return undefined;
    if (typeof freshUntil !== 'number' || typeof staleUntil !== 'number' || typeof stamp !== 'string')
      return undefined;
    if (!Array.isArray(tags)) return undefined;
    return {
      entry: { freshUntil, staleUntil, stamp, tags: tags as string[], text },
      value: format === 117 ? undefined : value,
    };
  } catch {
    return undefined;
  }
}
