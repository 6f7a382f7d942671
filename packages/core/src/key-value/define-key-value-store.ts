import { z } from 'zod';
import type {
  KeyValueDriver,
  KeyValueListOptions,
  KeyValueStore,
  KeyValueStoreSetOptions,
} from '../contracts/key-value-store';
import { NeptuneError, StoreError } from '../errors';
import { type Scope, scopeKeys } from '../scope';
import { parseInput } from '../validation';

export interface DefineKeyValueStoreOptions {
  /** Prepended to every key, so several apps or test runs can share one database. Default `neptune:`. */
  readonly prefix?: string | undefined;
}

const MAX_KEY_LENGTH = 1024;
const keySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_KEY_LENGTH, `must be at most ${MAX_KEY_LENGTH} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  .refine((key) => !/[\u0000-\u001f\u007f]/.test(key), 'must not contain control characters');
const ttlSchema = z.number().finite().positive('must be a positive number of milliseconds').optional();
const setOptionsSchema = z
  .object({
    ttlMs: ttlSchema,
    tags: z.array(keySchema).max(64, 'at most 64 tags per entry').optional(),
    onlyIfAbsent: z.boolean().optional(),
  })
  .optional();
const incrementSchema = z
  .object({ by: z.number().int('must be an integer').optional(), ttlMs: ttlSchema })
  .optional();

/** Where the parts of one scope live, relative to the store prefix: `k:` user keys, `t:` tag index entries. */
function layout(prefix: string, scope: Scope) {
  const keys = scopeKeys(scope);
  const base = prefix + keys.keyPrefix;
  const tagBase = (tag: string) => `${base}t:${encodeURIComponent(tag)}:`;
  return {
    key: (key: string) => `${base}k:${key}`,
    keys: base + 'k:',
    tag: (tag: string, key: string) => tagBase(tag) + key,
    tagBase,
    // A workspace scope clears the whole workspace, users included; a user scope only that user.
    clear: keys.scope.userId === undefined ? prefix + keys.workspacePrefix : base,
  };
}

/**
 * Builds the scoped, validated `KeyValueStore` from a driver's few raw methods: scoping and prefixes,
 * tags (an index of `t:` entries carrying the tagged entry's TTL), listing over the driver's incremental
 * scan, and error wrapping. Every adapter goes through here, so isolation is implemented once.
 */
export function defineKeyValueStore(
  driver: KeyValueDriver,
  options: DefineKeyValueStoreOptions = {},
): KeyValueStore {
  const prefix = options.prefix ?? 'neptune:';

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (NeptuneError.isInstance(error)) throw error;
      throw new StoreError({
        message: `${driver.name} failed during ${operation}: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
        details: { store: driver.name, operation },
      });
    }
  }

  async function* scanAll(rawPrefix: string, pageSize: number): AsyncGenerator<string> {
    let cursor: string | undefined;
    do {
      const page = await call('scan', () => driver.scan(rawPrefix, cursor, pageSize));
      for (const key of page.keys) if (key.startsWith(rawPrefix)) yield key;
      cursor = page.cursor;
    } while (cursor !== undefined);
  }

  async function collect(rawPrefix: string): Promise<string[]> {
    const found = new Set<string>();
    for await (const key of scanAll(rawPrefix, 500)) found.add(key);
    return [...found];
  }

  async function deleteRaw(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (let start = 0; start < keys.length; start += 500) {
      const batch = keys.slice(start, start + 500);
      deleted += await call('delete', () => driver.delete(batch));
    }
    return deleted;
  }

  const store: KeyValueStore = {
    name: driver.name,
    capabilities: driver.capabilities,

    async get(scope, key) {
      const raw = layout(prefix, scope).key(parseInput(keySchema, key, 'key'));
      return call('get', () => driver.get(raw));
    },

    async getMany(scope, keys) {
      const where = layout(prefix, scope);
      const raw = parseInput(z.array(keySchema), keys, 'keys').map(where.key);
      if (raw.length === 0) return [];
      return call('getMany', () =>
        driver.getMany ? driver.getMany(raw) : Promise.all(raw.map((key) => driver.get(key))),
      );
    },

    async set(scope, key, value, setOptions?: KeyValueStoreSetOptions) {
      const where = layout(prefix, scope);
      const validKey = parseInput(keySchema, key, 'key');
      if (typeof value !== 'string') {
        parseInput(
          z.string(),
          value,
          `value of ${JSON.stringify(validKey)} (stores take strings; encode first)`,
        );
      }
      const checked = parseInput(setOptionsSchema, setOptions, 'set options');
      const ttlMs = checked?.ttlMs === undefined ? undefined : Math.ceil(checked.ttlMs);
      const written = await call('set', () =>
        driver.set(where.key(validKey), value, { ttlMs, onlyIfAbsent: checked?.onlyIfAbsent }),
      );
      if (written && checked?.tags && checked.tags.length > 0) {
        await Promise.all(
          checked.tags.map((tag) => call('set', () => driver.set(where.tag(tag, validKey), '', { ttlMs }))),
        );
      }
      return written;
    },

    async delete(scope, key) {
      const raw = layout(prefix, scope).key(parseInput(keySchema, key, 'key'));
      return (await call('delete', () => driver.delete([raw]))) > 0;
    },

    async deleteByPrefix(scope, keyPrefix) {
      const where = layout(prefix, scope);
      const checked = parseInput(z.string().max(MAX_KEY_LENGTH), keyPrefix, 'prefix');
      return deleteRaw(await collect(where.keys + checked));
    },

    async deleteByTag(scope, tag) {
      const where = layout(prefix, scope);
      const tagBase = where.tagBase(parseInput(keySchema, tag, 'tag'));
      const entries = await collect(tagBase);
      const targets = entries.map((entry) => where.key(entry.slice(tagBase.length)));
      const deleted = await deleteRaw(targets);
      await deleteRaw(entries);
      return deleted;
    },

    async increment(scope, key, incrementOptions) {
      const raw = layout(prefix, scope).key(parseInput(keySchema, key, 'key'));
      const checked = parseInput(incrementSchema, incrementOptions, 'increment options');
      const ttlMs = checked?.ttlMs === undefined ? undefined : Math.ceil(checked.ttlMs);
      return call('increment', () => driver.increment(raw, checked?.by ?? 1, ttlMs));
    },

    async *list(scope, listOptions?: KeyValueListOptions) {
      const where = layout(prefix, scope);
      const relative = parseInput(
        z.string().max(MAX_KEY_LENGTH).optional(),
        listOptions?.prefix,
        'list prefix',
      );
      const pageSize = parseInput(
        z.number().int().positive().max(10_000).optional(),
        listOptions?.pageSize,
        'pageSize',
      );
      const seen = new Set<string>();
      for await (const raw of scanAll(where.keys + (relative ?? ''), pageSize ?? 250)) {
        // Redis SCAN may return a key twice across pages; callers get each once.
        if (seen.has(raw)) continue;
        seen.add(raw);
        yield raw.slice(where.keys.length);
      }
    },

    async clear(scope) {
      const raw = await collect(layout(prefix, scope).clear);
      const userKeys = raw.filter((key) => /:(?:shared|user:[^:]+):k:/.test(key)).length;
      await deleteRaw(raw);
      return userKeys;
    },

    async ping() {
      await call('ping', () =>
        driver.ping ? driver.ping() : driver.get(`${prefix}__ping__`).then(() => {}),
      );
    },

    async close() {
      await driver.close?.();
    },
  };
  return store;
}
