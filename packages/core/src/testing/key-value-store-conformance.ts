import { expect } from 'vitest';
import type { KeyValueCapabilities, KeyValueStore } from '../contracts/key-value-store';
import { NeptuneError, ScopeError, ValidationError } from '../errors';
import type { Scope } from '../scope';
import { type ConformanceCase, type ConformanceOptions, defineConformanceSuite } from './conformance';

/**
 * The `KeyValueStore` contract, run against every adapter (memory, Redis, Upstash, and yours). Each test
 * gets a fresh store from `create()`; give it a random prefix so runs never see each other's keys, and
 * drop that prefix in `destroy()`.
 */
export type KeyValueStoreConformanceOptions = ConformanceOptions<KeyValueStore, KeyValueCapabilities>;
type Case = ConformanceCase<KeyValueStore, KeyValueCapabilities>;

const acme: Scope = { workspaceId: 'acme' };
const acmeAna: Scope = { workspaceId: 'acme', userId: 'ana' };
const acmeBob: Scope = { workspaceId: 'acme', userId: 'bob' };
const globex: Scope = { workspaceId: 'globex' };
/** Ids that look like neighbours or like key syntax, to catch prefix mistakes. */
const lookalikes: Scope[] = [
  { workspaceId: 'acm' },
  { workspaceId: 'acme-2' },
  { workspaceId: 'acme.' },
  { workspaceId: 'acme|ana' },
  { workspaceId: 'acme=shared' },
  { workspaceId: 'shared' },
  { workspaceId: 'user' },
  { workspaceId: 'acme', userId: 'shared' },
  { workspaceId: 'acme', userId: 'k' },
];

async function listAll(store: KeyValueStore, scope: Scope, prefix?: string, pageSize?: number) {
  const keys: string[] = [];
  for await (const key of store.list(scope, { prefix, pageSize })) keys.push(key);
  return keys.sort();
}

/** Runs `call`, expects a typed error, and returns it. */
async function rejection(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected, but it resolved');
}

async function waitUntil(check: () => Promise<boolean>, what: string, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Strings that break naive encodings: JSON look-alikes, whitespace, other scripts, a NUL, a large value. */
const trickyValues = [
  '',
  ' ',
  '0',
  '123',
  '-1.5e10',
  'true',
  'null',
  'undefined',
  '"quoted"',
  '{"a":1, "b": [1,2]}',
  '[1, 2, 3]',
  'OK',
  'PONG',
  'line one\nline two\r\n\ttabbed',
  'emoji 🚀 and 会社 and é (composed) and é (decomposed)',
  'nul \u0000 inside',
  'base64-looking SGVsbG8=',
  '*?[]\\ glob characters {hash}',
  'x'.repeat(1024 * 1024),
];

const cases: Case[] = [
  {
    name: 'get returns undefined for a missing key, and set then get returns the value',
    async run(store) {
      expect(await store.get(acme, 'missing')).toBeUndefined();
      expect(await store.set(acme, 'greeting', 'hello')).toBe(true);
      expect(await store.get(acme, 'greeting')).toBe('hello');
      await store.set(acme, 'greeting', 'hello again');
      expect(await store.get(acme, 'greeting')).toBe('hello again');
    },
  },
  {
    name: 'values round-trip exactly',
    timeoutMs: 20_000,
    async run(store) {
      for (const [index, value] of trickyValues.entries()) {
        await store.set(acme, `value-${index}`, value);
      }
      for (const [index, value] of trickyValues.entries()) {
        const read = await store.get(acme, `value-${index}`);
        expect(typeof read).toBe('string');
        expect(read === value, `value #${index} did not round-trip`).toBe(true);
      }
      const many = await store.getMany(
        acme,
        trickyValues.map((_, index) => `value-${index}`),
      );
      expect(many).toEqual(trickyValues);
    },
  },
  {
    name: 'keys may contain key syntax and glob characters',
    async run(store) {
      const keys = [
        'a:b:c',
        'ws:globex:shared:k:x',
        '*',
        'a?b',
        '[ab]',
        'back\\slash',
        'user:ana:k:x',
        'é/会社',
      ];
      for (const key of keys) await store.set(acme, key, `value of ${key}`);
      for (const key of keys) expect(await store.get(acme, key)).toBe(`value of ${key}`);
      expect(await listAll(store, acme)).toEqual([...keys].sort());
      expect(await store.get(globex, 'x')).toBeUndefined();
      expect(await store.get(acmeAna, 'x')).toBeUndefined();
    },
  },
  {
    name: 'onlyIfAbsent writes once and says whether it wrote',
    async run(store) {
      expect(await store.set(acme, 'lock', 'first', { onlyIfAbsent: true, ttlMs: 10_000 })).toBe(true);
      expect(await store.set(acme, 'lock', 'second', { onlyIfAbsent: true, ttlMs: 10_000 })).toBe(false);
      expect(await store.get(acme, 'lock')).toBe('first');
      const racers = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store.set(acme, 'race', `racer-${index}`, { onlyIfAbsent: true }),
        ),
      );
      expect(racers.filter(Boolean)).toHaveLength(1);
    },
  },
  {
    name: 'entries expire after ttlMs; entries without a TTL stay',
    timeoutMs: 15_000,
    async run(store) {
      await store.set(acme, 'short', 'soon gone', { ttlMs: 150 });
      await store.set(acme, 'long', 'still here', { ttlMs: 60_000 });
      await store.set(acme, 'forever', 'never expires');
      await store.set(acme, 'made-permanent', 'first with a TTL', { ttlMs: 150 });
      await store.set(acme, 'made-permanent', 'then without one');
      await store.increment(acme, 'counter', { ttlMs: 150 });
      await waitUntil(
        async () => (await store.get(acme, 'short')) === undefined,
        'the short entry to expire',
      );
      await waitUntil(async () => (await store.get(acme, 'counter')) === undefined, 'the counter to expire');
      expect(await store.getMany(acme, ['short', 'long', 'forever', 'made-permanent'])).toEqual([
        undefined,
        'still here',
        'never expires',
        'then without one',
      ]);
      expect(await listAll(store, acme)).toEqual(['forever', 'long', 'made-permanent']);
    },
  },
  {
    name: 'getMany keeps the order of the keys and marks missing ones undefined',
    async run(store) {
      await store.set(acme, 'one', '1');
      await store.set(acme, 'three', '3');
      expect(await store.getMany(acme, ['three', 'two', 'one', 'three'])).toEqual(['3', undefined, '1', '3']);
      expect(await store.getMany(acme, [])).toEqual([]);
    },
  },
  {
    name: 'delete removes one key and says whether it existed',
    async run(store) {
      await store.set(acme, 'doomed', 'x');
      await store.set(acme, 'doomed-too', 'y');
      expect(await store.delete(acme, 'doomed')).toBe(true);
      expect(await store.delete(acme, 'doomed')).toBe(false);
      expect(await store.get(acme, 'doomed')).toBeUndefined();
      expect(await store.get(acme, 'doomed-too')).toBe('y');
    },
  },
  {
    name: 'deleteByPrefix removes only keys starting with the prefix, taken literally',
    async run(store) {
      for (const key of ['crm:1', 'crm:2', 'crm:*', 'crmx', 'cr*', 'calendar:1', '[crm]:1']) {
        await store.set(acme, key, key);
      }
      expect(await store.deleteByPrefix(acme, 'crm:')).toBe(3);
      expect(await listAll(store, acme)).toEqual(['[crm]:1', 'calendar:1', 'cr*', 'crmx'].sort());
      expect(await store.deleteByPrefix(acme, 'cr*')).toBe(1);
      expect(await store.deleteByPrefix(acme, '[crm]')).toBe(1);
      expect(await store.deleteByPrefix(acme, 'nothing-here:')).toBe(0);
      expect(await listAll(store, acme)).toEqual(['calendar:1', 'crmx']);
    },
  },
  {
    name: 'deleteByTag removes the tagged entries and nothing else',
    async run(store) {
      await store.set(acme, 'lead:1', 'a', { tags: ['crm', 'lead:1'] });
      await store.set(acme, 'lead:2', 'b', { tags: ['crm'] });
      await store.set(acme, 'event:1', 'c', { tags: ['calendar'] });
      await store.set(acme, 'untagged', 'd');
      expect(await store.deleteByTag(acme, 'crm')).toBe(2);
      expect(await listAll(store, acme)).toEqual(['event:1', 'untagged']);
      expect(await store.deleteByTag(acme, 'crm')).toBe(0);
      expect(await store.deleteByTag(acme, 'lead:1')).toBe(0);
      expect(await store.get(acme, 'event:1')).toBe('c');
    },
  },
  {
    name: 'increment is atomic, honours by, and sets the TTL only when it creates the key',
    requires: ['atomic'],
    async run(store) {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.increment(acme, 'hits')));
      expect(new Set(results).size).toBe(50);
      expect(Math.max(...results)).toBe(50);
      expect(await store.get(acme, 'hits')).toBe('50');
      expect(await store.increment(acme, 'hits', { by: 10 })).toBe(60);
      expect(await store.increment(acme, 'hits', { by: -61 })).toBe(-1);
      expect(await store.increment(acme, 'fresh', { by: 5, ttlMs: 60_000 })).toBe(5);
      await store.set(acme, 'numeric', '41');
      expect(await store.increment(acme, 'numeric')).toBe(42);
    },
  },
  {
    name: 'incrementWithinLimits admits exactly up to the limit under a burst, every counter or none',
    requires: ['atomic'],
    timeoutMs: 20_000,
    async run(store) {
      const burst = await Promise.all(
        Array.from({ length: 300 }, () =>
          store.incrementWithinLimits(acme, [
            { key: 'requests', by: 1, limit: 100, ttlMs: 60_000 },
            { key: 'tokens', by: 3, limit: 1_000, ttlMs: 60_000 },
          ]),
        ),
      );
      expect(burst.filter((result) => result.applied)).toHaveLength(100);
      expect(new Set(burst.filter((r) => r.applied).map((r) => r.values[0])).size).toBe(100);
      expect(await store.getMany(acme, ['requests', 'tokens'])).toEqual(['100', '300']);
      // The second counter would pass its limit, so neither moves.
      const refused = await store.incrementWithinLimits(acme, [
        { key: 'fresh', by: 1, limit: 10 },
        { key: 'tokens', by: 701, limit: 1_000 },
      ]);
      expect(refused).toEqual({ applied: false, values: [0, 300] });
      // A driver without its own incrementWithinLimits rolls back, which may leave a created counter at 0.
      expect(Number((await store.get(acme, 'fresh')) ?? '0')).toBe(0);
      expect(
        await store.incrementWithinLimits(acme, [
          { key: 'fresh', by: 1, limit: 10 },
          { key: 'tokens', by: 700, limit: 1_000 },
        ]),
      ).toEqual({ applied: true, values: [1, 1_000] });
      // A negative amount gives back; the limit is inclusive; another workspace counts on its own.
      expect(await store.incrementWithinLimits(acme, [{ key: 'tokens', by: -200, limit: 1_000 }])).toEqual({
        applied: true,
        values: [800],
      });
      expect(await store.incrementWithinLimits(globex, [{ key: 'requests', by: 1, limit: 1 }])).toEqual({
        applied: true,
        values: [1],
      });
      expect(await store.get(acme, 'requests')).toBe('100');
      expect(await store.increment(acme, 'requests')).toBe(101);
    },
  },
  {
    name: 'incrementWithinLimits sets the TTL only when it creates the counter',
    timeoutMs: 15_000,
    async run(store) {
      await store.incrementWithinLimits(acme, [{ key: 'window', by: 1, limit: 5, ttlMs: 150 }]);
      await store.incrementWithinLimits(acme, [{ key: 'window', by: 1, limit: 5, ttlMs: 60_000 }]);
      expect(await store.get(acme, 'window')).toBe('2');
      await waitUntil(async () => (await store.get(acme, 'window')) === undefined, 'the window to expire');
      await store.incrementWithinLimits(acme, [{ key: 'kept', by: 2, limit: 5 }]);
      expect(await store.get(acme, 'kept')).toBe('2');
    },
  },
  {
    name: 'list pages through the scope with an incremental scan, each key once, tag entries excluded',
    timeoutMs: 20_000,
    async run(store) {
      const keys = Array.from({ length: 120 }, (_, index) => `doc:${String(index).padStart(3, '0')}`);
      await Promise.all(keys.map((key) => store.set(acme, key, 'x', { tags: ['docs'] })));
      await store.set(acme, 'other', 'y');
      const listed = await listAll(store, acme, undefined, 7);
      expect(listed).toEqual([...keys, 'other'].sort());
      expect(await listAll(store, acme, 'doc:00')).toEqual(keys.slice(0, 10));
      expect(await listAll(store, acme, 'doc:*')).toEqual([]);
      expect(await listAll(store, globex)).toEqual([]);
    },
  },
  {
    name: 'tenant isolation: nothing written under one scope is read, listed or deleted under another',
    timeoutMs: 20_000,
    async run(store) {
      await store.set(acme, 'secret', 'acme data', { tags: ['t'] });
      await store.set(acme, 'ws:globex:shared:k:secret', 'acme data in a key-shaped key', { tags: ['t'] });
      await store.set(acmeAna, 'secret', 'ana data', { tags: ['t'] });
      await store.increment(acme, 'counter', { by: 7 });
      const others = [globex, acmeBob, ...lookalikes];
      for (const other of others) {
        const label = JSON.stringify(other);
        expect(await store.get(other, 'secret'), label).toBeUndefined();
        expect(await store.getMany(other, ['secret', 'counter']), label).toEqual([undefined, undefined]);
        expect(await listAll(store, other), label).toEqual([]);
        expect(await store.delete(other, 'secret'), label).toBe(false);
        expect(await store.deleteByPrefix(other, ''), label).toBe(0);
        expect(await store.deleteByPrefix(other, 'sec'), label).toBe(0);
        expect(await store.deleteByTag(other, 't'), label).toBe(0);
        expect(await store.clear(other), label).toBe(0);
      }
      expect(await store.get(globex, 'ws:globex:shared:k:secret')).toBeUndefined();
      // A workspace scope does not read its users' keys, and a user scope does not read the workspace's.
      expect(await store.get(acme, 'secret')).toBe('acme data');
      expect(await store.get(acmeAna, 'secret')).toBe('ana data');
      expect(await listAll(store, acme)).toEqual(['counter', 'secret', 'ws:globex:shared:k:secret']);
      expect(await listAll(store, acmeAna)).toEqual(['secret']);
      expect(await store.deleteByTag(acmeAna, 't')).toBe(1);
      expect(await store.get(acme, 'secret')).toBe('acme data');
      expect(await store.increment(acme, 'counter')).toBe(8);
    },
  },
  {
    name: 'clear of a user removes only that user; clear of a workspace removes it and its users',
    async run(store) {
      await store.set(acme, 'shared', 'w', { tags: ['t'] });
      await store.set(acmeAna, 'prefs', 'a');
      await store.set(acmeBob, 'prefs', 'b');
      await store.set(globex, 'shared', 'g');
      expect(await store.clear(acmeAna)).toBe(1);
      expect(await store.get(acmeBob, 'prefs')).toBe('b');
      expect(await store.get(acme, 'shared')).toBe('w');
      expect(await store.clear(acme)).toBe(2);
      expect(await store.getMany(acme, ['shared'])).toEqual([undefined]);
      expect(await store.get(acmeBob, 'prefs')).toBeUndefined();
      expect(await store.get(globex, 'shared')).toBe('g');
    },
  },
  {
    name: 'bad input gets a typed error that says what was wrong, and loses nothing stored',
    async run(store) {
      await store.set(acme, 'keep', 'safe', { tags: ['t'] });
      await store.set(acme, 'text', 'not a number');
      const badCalls: Array<
        [string, () => Promise<unknown>, { isInstance(error: unknown): boolean }, RegExp]
      > = [
        ['scope null', () => store.get(null as never, 'keep'), ScopeError, /scope must be an object/],
        ['empty workspace', () => store.get({ workspaceId: '' }, 'keep'), ScopeError, /workspaceId is empty/],
        ['workspace with :', () => store.set({ workspaceId: 'a:b' }, 'k', 'v'), ScopeError, /not allowed/],
        ['user with *', () => store.clear({ workspaceId: 'acme', userId: '*' }), ScopeError, /not allowed/],
        ['empty key', () => store.get(acme, ''), ValidationError, /key.*must not be empty/],
        ['control character', () => store.set(acme, 'a\nb', 'v'), ValidationError, /control characters/],
        ['key too long', () => store.get(acme, 'k'.repeat(1025)), ValidationError, /at most 1024/],
        ['key not a string', () => store.delete(acme, 42 as never), ValidationError, /key/],
        ['keys with a bad one', () => store.getMany(acme, ['keep', '']), ValidationError, /keys/],
        ['value not a string', () => store.set(acme, 'keep', { a: 1 } as never), ValidationError, /strings/],
        ['negative ttl', () => store.set(acme, 'keep', 'x', { ttlMs: -5 }), ValidationError, /ttlMs/],
        ['NaN ttl', () => store.set(acme, 'keep', 'x', { ttlMs: Number.NaN }), ValidationError, /ttlMs/],
        ['bad tag', () => store.set(acme, 'keep', 'x', { tags: [''] }), ValidationError, /tags/],
        ['fractional by', () => store.increment(acme, 'n', { by: 1.5 }), ValidationError, /integer/],
        ['increment text', () => store.increment(acme, 'text'), ValidationError, /integer/],
        [
          'limited increment of text',
          () => store.incrementWithinLimits(acme, [{ key: 'text', by: 1, limit: 10 }]),
          ValidationError,
          /integer/,
        ],
        ['no counters', () => store.incrementWithinLimits(acme, []), ValidationError, /at least one/],
        [
          'fractional limit',
          () => store.incrementWithinLimits(acme, [{ key: 'n', by: 1, limit: 1.5 }]),
          ValidationError,
          /limit/,
        ],
        [
          'a key twice',
          () =>
            store.incrementWithinLimits(acme, [
              { key: 'n', by: 1, limit: 5 },
              { key: 'n', by: 1, limit: 5 },
            ]),
          ValidationError,
          /twice/,
        ],
        [
          'bad page size',
          () => store.list(acme, { pageSize: 0 })[Symbol.asyncIterator]().next(),
          ValidationError,
          /pageSize/,
        ],
        ['bad tag to delete', () => store.deleteByTag(acme, ''), ValidationError, /tag/],
      ];
      for (const [label, call, errorClass, message] of badCalls) {
        const error = await rejection(call);
        expect(errorClass.isInstance(error), `${label}: ${String(error)}`).toBe(true);
        expect(NeptuneError.isInstance(error) && (error as NeptuneError).isRetryable, label).toBe(false);
        expect((error as Error).message, label).toMatch(message);
      }
      expect(await store.get(acme, 'keep')).toBe('safe');
      expect(await store.get(acme, 'text')).toBe('not a number');
      expect(await store.get(acme, 'n')).toBeUndefined();
      expect(await listAll(store, acme)).toEqual(['keep', 'text']);
      expect(await store.deleteByTag(acme, 't')).toBe(1);
    },
  },
  {
    name: 'ping answers when the backend is reachable',
    async run(store) {
      await expect(store.ping()).resolves.toBeUndefined();
    },
  },
];

/**
 * Checks a `KeyValueStore` against the contract: TTL, batch get, delete by prefix and tag, atomic
 * increment, scan-based listing, exact round trips, tenant isolation and bad input.
 *
 * ```ts
 * describeKeyValueStoreConformance({
 *   name: 'my-store',
 *   create: () => myKeyValueStore({ prefix: `${randomTestId()}:` }),
 *   destroy: (store) => store.close(),
 *   capabilities: { nativeTtl: true, atomic: true, shared: true },
 * });
 * ```
 */
export const describeKeyValueStoreConformance: (options: KeyValueStoreConformanceOptions) => void =
  defineConformanceSuite<KeyValueStore, KeyValueCapabilities>('KeyValueStore', cases);
