/** The bounds and clock of an `LruMap`. */
export interface LruMapOptions {
  /** Most entries kept; the least recently used go first. */
  readonly maxEntries: number;
  /** Most bytes kept, as counted by the caller's `sizeBytes`. */
  readonly maxBytes: number;
  /** Clock in epoch milliseconds; tests pass their own. */
  readonly now?: (() => number) | undefined;
}

interface Slot<Value> {
  value: Value;
  sizeBytes: number;
  /** Epoch ms; `Infinity` for no expiry. */
  expiresAt: number;
  /** When the slot was last moved to the young end, on the map's own insertion counter. */
  order: number;
}

/**
 * A map bounded by entry count and by bytes, evicting the least recently used, with expiry checked on
 * read. A `Map` keeps insertion order, so re-inserting on access is all the bookkeeping LRU needs. The
 * in-memory key-value store and the cache's memory tier both keep their entries in one.
 */
export class LruMap<Value> {
  readonly #slots = new Map<string, Slot<Value>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;
  #order = 0;

  constructor(options: LruMapOptions) {
    this.#maxEntries = options.maxEntries;
    this.#maxBytes = options.maxBytes;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#slots.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The live value, marked as recently used; expired entries are dropped on the way. */
  get(key: string): Value | undefined {
    const slot = this.#live(key);
    if (slot === undefined) return undefined;
    // Moving to the young end costs a delete and an insert. An entry already in the younger half is left
    // where it is: order stays exact where eviction looks (the old end), and most hits cost one lookup.
    if (this.#order - slot.order > this.#slots.size >>> 1) {
      this.#slots.delete(key);
      this.#slots.set(key, slot);
      slot.order = ++this.#order;
    }
    return slot.value;
  }

  has(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  /** Epoch ms at which a live entry expires (`Infinity` for never), or undefined when absent. */
  expiresAt(key: string): number | undefined {
    return this.#live(key)?.expiresAt;
  }

  /**
   * Stores a value, evicting least recently used entries to stay within both bounds. Returns false (and
   * stores nothing) when the entry alone is larger than `maxBytes`.
   */
  set(key: string, value: Value, sizeBytes: number, expiresAt = Number.POSITIVE_INFINITY): boolean {
    this.delete(key);
    if (sizeBytes > this.#maxBytes) return false;
    this.#slots.set(key, { value, sizeBytes, expiresAt, order: ++this.#order });
    this.#bytes += sizeBytes;
    for (const [oldestKey, oldest] of this.#slots) {
      if (this.#slots.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#slots.delete(oldestKey);
      this.#bytes -= oldest.sizeBytes;
    }
    return true;
  }

  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#slots.delete(key);
    this.#bytes -= slot.sizeBytes;
    return true;
  }

  /** Live keys, oldest first. Expired entries met on the way are dropped. */
  *keys(): IterableIterator<string> {
    const now = this.#now();
    for (const [key, slot] of this.#slots) {
      if (slot.expiresAt <= now) this.delete(key);
      else yield key;
    }
  }

  /** Live entries, oldest first, without touching their recency. */
  *entries(): IterableIterator<[string, Value]> {
    for (const key of this.keys()) {
      const slot = this.#slots.get(key);
      if (slot !== undefined) yield [key, slot.value];
    }
  }

  clear(): void {
    this.#slots.clear();
    this.#bytes = 0;
  }

  #live(key: string): Slot<Value> | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt !== Number.POSITIVE_INFINITY && slot.expiresAt <= this.#now()) {
      this.delete(key);
      return undefined;
    }
    return slot;
  }
}
