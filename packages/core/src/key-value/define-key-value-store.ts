import { z } from 'zod';
import type {
  KeyValueDriver,
  KeyValueListOptions,
  KeyValueStore,
  KeyValueStoreSetOptions,
  LimitedIncrementResult,
} from '../contracts/key-value-store';
import { checkDriverShape, driverCalls } from '../driver-checks';
import { type Scope, scopeKeys } from '../scope';
import { parseInput, parseOptions } from '../validation';

const MAX_KEY_LENGTH = 1024;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const keySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_KEY_LENGTH, `must be at most ${MAX_KEY_LENGTH} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  .refine((key) => !/[\u0000-\u001f\u007f]/.test(key), 'must not contain control characters')
  // A lone surrogate is not text: it cannot be encoded (URIError, replacement characters on the wire).
  .refine((key) => !LONE_SURROGATE.test(key), 'must be well-formed Unicode (it holds a lone surrogate)');
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
const limitedIncrementsSchema = z
  .array(
    z.object({
      key: keySchema,
      by: z.number().int('must be an integer').refine(Number.isSafeInteger, 'must be a safe integer'),
      limit: z.number().int('must be an integer').refine(Number.isSafeInteger, 'must be a safe integer'),
      ttlMs: ttlSchema,
    }),
  )
  .min(1, 'must hold at least one counter')
  .max(16, 'at most 16 counters per call')
  .refine((counters) => new Set(counters.map((counter) => counter.key)).size === counters.length, {
    message: 'must not name a key twice',
  });
// The same rules as keySchema (control characters, lone surrogates), checked without zod.
const CONTROL_CHARACTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The hot path (every cache hit) checks keys with a plain test; zod runs only to word the error, so a
 * valid call never pays for building one.
 */
function checkKey(key: unknown, what = 'key'): string {
  if (
    typeof key === 'string' &&
    key.length > 0 &&
    key.length <= MAX_KEY_LENGTH &&
    !CONTROL_CHARACTER.test(key)
  ) {
    return key;
  }
  return parseInput(keySchema, key, what);
}

function checkKeys(keys: unknown): readonly string[] {
  if (Array.isArray(keys)) {
    let valid = true;
    for (const key of keys) {
      if (
        typeof key !== 'string' ||
        key.length === 0 ||
        key.length > MAX_KEY_LENGTH ||
        CONTROL_CHARACTER.test(key)
      ) {
        valid = false;
        break;
      }
    }
    if (valid) return keys as string[];
  }
  return parseInput(z.array(keySchema), keys, 'keys');
}

const optionsShape = {
  /** Prepended to every key, so several apps or test runs can share one database. Default `neptune:`. */
  prefix: z.string().max(256).optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `defineKeyValueStore`. */
export type DefineKeyValueStoreOptions = z.input<typeof optionsSchema>;
const REQUIRED_METHODS = ['get', 'set', 'delete', 'scan', 'increment'] as const;
const OPTIONAL_METHODS = ['getMany', 'incrementWithinLimits', 'ping', 'close'] as const;

/** A driver is checked when the store is defined, so a wrong one fails there rather than on first use. */
function checkDriver(driver: unknown): asserts driver is KeyValueDriver {
  checkDriverShape(driver, {
    definedBy: 'defineKeyValueStore',
    contract: 'KeyValueDriver { name, capabilities, get, set, delete, scan, increment }',
    requiredMethods: REQUIRED_METHODS,
    optionalMethods: OPTIONAL_METHODS,
    capabilities: true,
  });
}

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
 * `incrementWithinLimits` for a driver without it: each counter is incremented (atomically, one by one)
 * and all are rolled back when one passed its limit. A call that passes saw a value no higher than its
 * limit, and passed calls are never rolled back, so no more than the limit is ever admitted; a rollback
 * still in flight can make a concurrent call that would have fitted see too high a value and refuse.
 */
async function incrementThenRollBack(
  driver: KeyValueDriver,
  counters: readonly { key: string; by: number; limit: number; ttlMs: number | undefined }[],
): Promise<LimitedIncrementResult> {
  const results = await Promise.allSettled(
    counters.map((counter) => driver.increment(counter.key, counter.by, counter.ttlMs)),
  );
  const values = results.map((result) => (result.status === 'fulfilled' ? result.value : Number.NaN));
  if (values.every((value, index) => value <= counters[index]!.limit)) return { applied: true, values };
  // One failed or passed its limit: undo the ones that went through, so nothing is half-counted.
  const restored = await Promise.all(
    counters.map((counter, index) =>
      results[index]!.status === 'fulfilled'
        ? driver.increment(counter.key, -counter.by, counter.ttlMs)
        : Promise.resolve(Number.NaN),
    ),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return { applied: false, values: restored };
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
  checkDriver(driver);
  const { prefix = 'neptune:' } = parseOptions(optionsSchema, options, 'defineKeyValueStore options');
  const entryKey = (scope: Scope, key: string) => `${prefix}${scopeKeys(scope).keyPrefix}k:${key}`;

  const call = driverCalls(
    driver.name,
    (operation, reason) => `${driver.name} failed during ${operation}: ${reason}`,
  );

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
      const raw = entryKey(scope, checkKey(key));
      return call('get', () => driver.get(raw));
    },

    async getMany(scope, keys) {
      const base = entryKey(scope, '');
      const raw = checkKeys(keys).map((key) => base + key);
      if (raw.length === 0) return [];
      return call('getMany', () =>
        driver.getMany ? driver.getMany(raw) : Promise.all(raw.map((key) => driver.get(key))),
      );
    },

    async set(scope, key, value, setOptions?: KeyValueStoreSetOptions) {
      const where = layout(prefix, scope);
      const validKey = checkKey(key);
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
      const raw = entryKey(scope, checkKey(key));
      return (await call('delete', () => driver.delete([raw]))) > 0;
    },

    async deleteByPrefix(scope, keyPrefix) {
      const where = layout(prefix, scope);
      const checked = parseInput(z.string().max(MAX_KEY_LENGTH), keyPrefix, 'prefix');
      return deleteRaw(await collect(where.keys + checked));
    },

    async deleteByTag(scope, tag) {
      const where = layout(prefix, scope);
      const tagBase = where.tagBase(checkKey(tag, 'tag'));
      const entries = await collect(tagBase);
      const targets = entries.map((entry) => where.key(entry.slice(tagBase.length)));
      const deleted = await deleteRaw(targets);
      await deleteRaw(entries);
      return deleted;
    },

    async increment(scope, key, incrementOptions) {
      const raw = entryKey(scope, checkKey(key));
      const checked = parseInput(incrementSchema, incrementOptions, 'increment options');
      const ttlMs = checked?.ttlMs === undefined ? undefined : Math.ceil(checked.ttlMs);
      return call('increment', () => driver.increment(raw, checked?.by ?? 1, ttlMs));
    },

    async incrementWithinLimits(scope, counters) {
      const base = entryKey(scope, '');
      const checked = parseInput(limitedIncrementsSchema, counters, 'incrementWithinLimits counters').map(
        (counter) => ({
          key: base + counter.key,
          by: counter.by,
          limit: counter.limit,
          ttlMs: counter.ttlMs === undefined ? undefined : Math.ceil(counter.ttlMs),
        }),
      );
      return call('incrementWithinLimits', () =>
        driver.incrementWithinLimits
          ? driver.incrementWithinLimits(checked)
          : incrementThenRollBack(driver, checked),
      );
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
      const base = layout(prefix, scope).clear;
      const raw = await collect(base);
      // Count entries, not tag index entries. Anchored after the scope's own prefix, so a key that merely
      // contains `:shared:k:` is not miscounted.
      const workspaceBase = prefix + scopeKeys(scope).workspacePrefix;
      const userKeys = raw.filter((key) =>
        /^(?:shared|user:[^:]+):k:/.test(key.slice(workspaceBase.length)),
      ).length;
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
