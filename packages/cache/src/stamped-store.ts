import type { KeyValueStore, Scope } from '@neptune/core';
import type { CacheEntry, ParsedEntry } from './cache-entry';
import type { CacheAddress, CacheKeyspace } from './cache-key';
import { STAMP_TTL_MS } from './cache-kinds';
import type { EntryDecoder } from './entry-decoder';
import type { PendingInvalidations } from './pending-invalidations';
import type { StoreGuard } from './store-guard';

/** What one read of the store found. */
export interface StampedRead {
  /** False when the store could not be read (down, slow, circuit open): nothing was learnt. */
  readonly ok: boolean;
  /** The entry and its value, when present and not invalidated since it was loaded. */
  readonly found: ParsedEntry | undefined;
  /** The current stamp for the entry's kind and the requested tags: written with a value loaded now. */
  readonly stamp: string;
  /** Whether another process holds the load lock (asked for only while waiting). */
  readonly locked: boolean;
}

const UNREAD: StampedRead = Object.freeze({ ok: false, found: undefined, stamp: '', locked: false });

function newStamp(): string {
  return (
    globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`
  );
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, index) => tag === b[index]);
}

/**
 * Invalidation by stamps, which works on every backend: `invalidate(kind)` writes a new random stamp
 * under `context-stamp:kind:{kind}` (one SET, no SCAN), and each entry records the stamps current when
 * its value was loaded. An entry whose stamps have changed since is invalidated. Reading the stamps
 * costs nothing extra: they come in the same MGET as the entry. Loading before an invalidation and
 * writing after it cannot resurrect old data, since the entry carries the old stamp.
 */
export class StampedStore {
  readonly #store: KeyValueStore;
  readonly #guard: StoreGuard;
  readonly #keyspace: CacheKeyspace;
  readonly #pending: PendingInvalidations;
  readonly #decoder: EntryDecoder;

  constructor(options: {
    store: KeyValueStore;
    guard: StoreGuard;
    keyspace: CacheKeyspace;
    pending: PendingInvalidations;
    decoder: EntryDecoder;
  }) {
    this.#store = options.store;
    this.#guard = options.guard;
    this.#keyspace = options.keyspace;
    this.#pending = options.pending;
    this.#decoder = options.decoder;
  }

  #stampKeys(kind: string, tags: readonly string[]): string[] {
    const keys = [this.#keyspace.kindStamp(kind)];
    for (const tag of tags) keys.push(this.#keyspace.tagStamp(tag));
    return keys;
  }

  /**
   * Reads `keys` and the stamps under the address's scope in one MGET, and for a user scope the
   * workspace's stamps in a second one sent at the same time. Undefined when the store failed.
   */
  async #readWithStamps(address: CacheAddress, keys: string[], tags: readonly string[]) {
    const first = keys.length;
    const stampKeys = this.#stampKeys(address.kind, tags);
    for (const key of stampKeys) keys.push(key);
    const local = this.#guard.run('get', address.kind, () => this.#store.getMany(address.scope, keys));
    const workspace = address.workspace;
    const shared =
      workspace === undefined
        ? undefined
        : this.#guard.run('get', address.kind, () => this.#store.getMany(workspace, stampKeys));
    const read = await local;
    if (!read.ok) return undefined;
    let stamp = read.value[first] ?? '';
    for (let index = first + 1; index < read.value.length; index++) stamp += `|${read.value[index] ?? ''}`;
    if (shared !== undefined) {
      const sharedRead = await shared;
      if (!sharedRead.ok) return undefined;
      stamp += `/${sharedRead.value.map((value) => value ?? '').join('|')}`;
    }
    return { values: read.value, stamp };
  }

  /** The entry (if present and still valid) and the current stamp, in one round trip. */
  async read(address: CacheAddress, tags: readonly string[], withLock = false): Promise<StampedRead> {
    const found = await this.#readWithStamps(
      address,
      withLock ? [address.entryKey, address.lockKey] : [address.entryKey],
      tags,
    );
    if (found === undefined) return UNREAD;
    const text = found.values[0];
    const locked = withLock && found.values[1] !== undefined;
    let parsed = text === undefined ? undefined : this.#decoder.decode(address.localKey, text);
    if (parsed !== undefined && this.#pending.size > 0) {
      // An invalidation made while the store was down has not been written yet: this entry predates it.
      if (this.#pending.blocks(address.scope, this.#stampKeys(address.kind, parsed.entry.tags))) {
        parsed = undefined;
      }
    }
    if (parsed !== undefined && parsed.entry.stamp !== found.stamp) {
      // Written with other tags than asked for now: check the stamps of the tags it was written with.
      const { tags: written, stamp } = parsed.entry;
      const valid = !sameTags(written, tags) && (await this.stamp(address, written)) === stamp;
      if (!valid) parsed = undefined;
    }
    return { ok: true, found: parsed, stamp: found.stamp, locked };
  }

  /** The current stamp for a kind and tags, or undefined when the store cannot be read. */
  async stamp(address: CacheAddress, tags: readonly string[]): Promise<string | undefined> {
    return (await this.#readWithStamps(address, [], tags))?.stamp;
  }

  async write(address: CacheAddress, entry: CacheEntry, ttlMs: number): Promise<boolean> {
    const written = await this.#guard.run('set', address.kind, () =>
      this.#store.set(address.scope, address.entryKey, entry.text, { ttlMs }),
    );
    return written.ok;
  }

  async delete(address: CacheAddress): Promise<boolean> {
    return (
      await this.#guard.run('delete', address.kind, () => this.#store.delete(address.scope, address.entryKey))
    ).ok;
  }

  /** Writes new stamps, invalidating every entry loaded under the old ones. False when the store failed. */
  async bump(scope: Scope, label: string, stampKeys: readonly string[]): Promise<boolean> {
    const results = await Promise.all(
      stampKeys.map((key) =>
        this.#guard.run('invalidate', label, () =>
          this.#store.set(scope, key, newStamp(), { ttlMs: STAMP_TTL_MS }),
        ),
      ),
    );
    return results.every((result) => result.ok);
  }
}
