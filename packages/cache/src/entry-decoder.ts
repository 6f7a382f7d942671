import { LruMap } from '@neptune/core';
import { type CacheEntry, type ParsedEntry, parseEntry } from './cache-entry';
import { cloneDecoded } from './clone-decoded';

interface Decoded {
  readonly entry: CacheEntry;
  /** Never handed out: callers get copies. */
  readonly canonical: unknown;
}

/**
 * Parses stored entries, remembering the last parse per key. When the store returns the same text again
 * (the common case: a hot key read over and over), the remembered value is copied instead of the text
 * parsed, which is several times cheaper. The memo is checked against the text the store just returned,
 * so it can never serve anything the store does not hold.
 */
export class EntryDecoder {
  readonly #memo: LruMap<Decoded>;

  constructor(options: { maxEntries: number; maxBytes: number }) {
    this.#memo = new LruMap(options);
  }

  /** The entry and a private copy of its value, or undefined for text that is not an entry. */
  decode(localKey: string, text: string): ParsedEntry | undefined {
    const known = this.#memo.get(localKey);
    if (known !== undefined && known.entry.text === text) {
      return { entry: known.entry, value: cloneDecoded(known.canonical) };
    }
    const parsed = parseEntry(text);
    if (parsed === undefined) {
      this.#memo.delete(localKey);
      return undefined;
    }
    // UTF-16 length is the right unit here: the memo holds JavaScript strings and objects, not bytes on a wire.
    this.#memo.set(
      localKey,
      { entry: parsed.entry, canonical: parsed.value },
      text.length * 2 + localKey.length * 2,
    );
    return { entry: parsed.entry, value: cloneDecoded(parsed.value) };
  }

  forget(localKey: string): void {
    this.#memo.delete(localKey);
  }
}
