import type { KeywordIndex } from '../contracts/keyword-index';
import type { MetadataFilter } from '../contracts/metadata';
import type { VectorRecord, VectorStore, VectorStoreCapabilities } from '../contracts/vector-store';
import { DimensionMismatchError, ScopeError, ValidationError } from '../errors';
import { cosineSimilarity } from '../vector-math';
import { type ConformanceCase, defineConformanceSuite } from './conformance';
import {
  expectError,
  expectInvalidBatchesRefused,
  FILTER_EXPECTATIONS,
  FILTER_FIXTURE_METADATA,
  type FilterExpectations,
  invalidScopesLike,
  sortedIds,
  type TestScopes,
  withTestScopes,
} from './store-conformance-helpers';
import { expect } from './vitest-api';

/**
 * The `VectorStore` conformance suite. Every test writes under fresh random workspaces and clears them
 * afterwards, so it can run against a shared real service. Test vectors are written in 4 dimensions
 * and padded with zeros to the store's `dimensions` (which must be at least 4). Scores are compared
 * to 3 decimals; ties are avoided, so only what the contract promises is asserted.
 */

interface VectorTestContext extends TestScopes {
  readonly store: VectorStore;
  /** A vector of the store's length from its first components. */
  vector(...components: number[]): number[];
}

async function withContext(
  store: VectorStore,
  body: (context: VectorTestContext) => Promise<void>,
): Promise<void> {
  if (store.dimensions < 4) {
    throw new Error(
      `The VectorStore conformance suite needs a store of at least 4 dimensions; ${store.name} has ${store.dimensions}.`,
    );
  }
  const vector = (...components: number[]) => [
    ...components,
    ...new Array<number>(store.dimensions - components.length).fill(0),
  ];
  await withTestScopes(
    (scope) => store.clear(scope),
    (scopes) => body({ store, ...scopes, vector }),
  );
}

type VectorCase = ConformanceCase<VectorStore, VectorStoreCapabilities>;

function vectorCase(
  name: string,
  body: (context: VectorTestContext) => Promise<void>,
  requires?: (keyof VectorStoreCapabilities)[],
): VectorCase {
  return { name, requires, run: (store) => withContext(store, body) };
}

/** The filter fixture as records; their vectors give them distinct positive scores against (1, 0, 0, 0). */
function filterFixture(context: VectorTestContext): VectorRecord[] {
  return FILTER_FIXTURE_METADATA.map((entry, position) => ({
    ...entry,
    vector: context.vector(1, (position + 1) / 10, 0, 0),
  }));
}

/** Filters vector stores are held to beyond the shared expectations, added to the test of that name. */
const MORE_VECTOR_FILTER_EXPECTATIONS: Readonly<Record<string, FilterExpectations>> = {
  'filter: $in and $nin': [[{ year: { $in: [2019, 2023] } }, ['f1', 'f5']]],
  'filter: ranges': [[{ year: { $lte: 2019 } }, ['f1']]],
  'filter: fields combine with AND': [[{ category: 'news', year: { $gt: 2020 } }, ['f3']]],
};

function filterCase(name: string, expectations: FilterExpectations): VectorCase {
  return vectorCase(name, async (context) => {
    const scope = context.workspace();
    await context.store.upsert(scope, filterFixture(context));
    for (const [filter, expected] of expectations) {
      const matches = await context.store.query(scope, {
        vector: context.vector(1, 0, 0, 0),
        topK: 10,
        filter,
      });
      expect(sortedIds(matches), `filter ${JSON.stringify(filter)}`).toEqual([...expected].sort());
    }
  });
}

/** Writes the same ids in two scopes so isolation tests can check that neither sees the other. */
async function seedTwoWorkspaces(context: VectorTestContext) {
  const owner = context.workspace();
  const other = context.workspace();
  await context.store.upsert(owner, [
    { id: 'doc-1', vector: context.vector(1, 0, 0, 0), text: 'owner text', metadata: { kind: 'secret' } },
    { id: 'doc-2', vector: context.vector(0, 1, 0, 0), metadata: { kind: 'secret' } },
  ]);
  return { owner, other };
}

const cases: VectorCase[] = [
  vectorCase('upsert then get returns the records as written', async ({ store, workspace, vector }) => {
    const scope = workspace();
    const first = vector(0.5, -1.5, 2, 3);
    await store.upsert(scope, [
      {
        id: 'a',
        vector: first,
        text: 'alpha',
        metadata: { lang: 'en', rank: 2, tags: ['x', 'y'], ok: true },
      },
      { id: 'b', vector: vector(0, 1, 0, 0) },
    ]);
    const records = await store.get(scope, ['b', 'missing', 'a']);
    expect(records.map((record) => record.id)).toEqual(['b', 'a']);
    const [recordB, recordA] = records as [VectorRecord, VectorRecord];
    expect(recordA.text).toBe('alpha');
    expect(recordA.metadata).toEqual({ lang: 'en', rank: 2, tags: ['x', 'y'], ok: true });
    expect(recordA.vector.length).toBe(store.dimensions);
    expect(cosineSimilarity(recordA.vector, first)).toBeCloseTo(1, 4);
    expect(recordB.text).toBeUndefined();
    expect(recordB.metadata ?? {}).toEqual({});
  }),

  vectorCase(
    'keyword: a record is searched by its keywordText and shows its text',
    async ({ store, workspace, vector }) => {
      const scope = workspace();
      const keywords = store as unknown as KeywordIndex;
      await store.upsert(scope, [
        {
          id: 'titled',
          vector: vector(1, 0, 0, 0),
          text: 'walruses haul out',
          keywordText: 'Arctic > walruses haul out',
        },
        { id: 'plain', vector: vector(0, 1, 0, 0), text: 'arctic terns migrate' },
      ]);
      const titled = await keywords.search(scope, { query: 'arctic walruses', topK: 2 });
      expect(titled.map((match) => match.id)).toEqual(['titled', 'plain']);
      expect(titled[0]!.text).toBe('walruses haul out');
      const [record] = await store.get(scope, ['titled']);
      expect(record?.text).toBe('walruses haul out');
    },
    ['keyword'],
  ),

  vectorCase('upsert replaces a record with the same id', async ({ store, workspace, vector }) => {
    const scope = workspace();
    await store.upsert(scope, [
      { id: 'a', vector: vector(1, 0, 0, 0), text: 'old', metadata: { version: 1 } },
    ]);
    await store.upsert(scope, [
      { id: 'a', vector: vector(0, 1, 0, 0), text: 'new', metadata: { version: 2 } },
    ]);
    expect(await store.count(scope)).toBe(1);
    const [record] = await store.get(scope, ['a']);
    expect(record?.text).toBe('new');
    expect(record?.metadata).toEqual({ version: 2 });
    const [match] = await store.query(scope, { vector: vector(0, 1, 0, 0), topK: 1 });
    expect(match?.score).toBeCloseTo(1, 3);
    expect(await store.query(scope, { vector: vector(0, 1, 0, 0), topK: 5, filter: { version: 1 } })).toEqual(
      [],
    );
  }),

  vectorCase('an id repeated in one upsert keeps its last record', async ({ store, workspace, vector }) => {
    const scope = workspace();
    await store.upsert(scope, [
      { id: 'a', vector: vector(1, 0, 0, 0), text: 'old' },
      { id: 'b', vector: vector(0, 0, 1, 0), text: 'other' },
      { id: 'a', vector: vector(0, 1, 0, 0), text: 'new' },
    ]);
    expect(await store.count(scope)).toBe(2);
    const [record] = await store.get(scope, ['a']);
    expect(record?.text).toBe('new');
    const [match] = await store.query(scope, { vector: vector(0, 1, 0, 0), topK: 1 });
    expect(match?.id).toBe('a');
    expect(match?.score).toBeCloseTo(1, 3);
  }),

  vectorCase('delete removes by id and returns how many existed', async ({ store, workspace, vector }) => {
    const scope = workspace();
    await store.upsert(scope, [
      { id: 'a', vector: vector(1, 0, 0, 0) },
      { id: 'b', vector: vector(0, 1, 0, 0) },
    ]);
    expect(await store.delete(scope, ['a', 'missing'])).toBe(1);
    expect(await store.get(scope, ['a'])).toEqual([]);
    expect(await store.delete(scope, ['a'])).toBe(0);
    expect(sortedIds(await store.query(scope, { vector: vector(1, 0, 0, 0), topK: 10 }))).toEqual(['b']);
    expect(await store.count(scope)).toBe(1);
  }),

  vectorCase('count counts the records of the scope', async ({ store, workspace, vector }) => {
    const scope = workspace();
    expect(await store.count(scope)).toBe(0);
    await store.upsert(
      scope,
      [1, 2, 3].map((n) => ({ id: `r${n}`, vector: vector(n, 1, 0, 0) })),
    );
    expect(await store.count(scope)).toBe(3);
    await store.upsert(scope, []);
    expect(await store.count(scope)).toBe(3);
  }),

  vectorCase(
    'query orders matches by cosine similarity and scores them',
    async ({ store, workspace, vector }) => {
      const scope = workspace();
      await store.upsert(scope, [
        { id: 'opposite', vector: vector(-2, 0, 0, 0) },
        { id: 'diagonal', vector: vector(3, 3, 0, 0) },
        { id: 'same', vector: vector(0.5, 0, 0, 0) },
        { id: 'orthogonal', vector: vector(0, 0, 7, 0) },
      ]);
      const matches = await store.query(scope, { vector: vector(4, 0, 0, 0), topK: 4 });
      expect(matches.map((match) => match.id)).toEqual(['same', 'diagonal', 'orthogonal', 'opposite']);
      const expected = [1, Math.SQRT1_2, 0, -1];
      matches.forEach((match, index) => {
        expect(match.score).toBeCloseTo(expected[index]!, 3);
      });
    },
  ),

  vectorCase('query returns text and metadata with each match', async ({ store, workspace, vector }) => {
    const scope = workspace();
    await store.upsert(scope, [
      { id: 'a', vector: vector(1, 0, 0, 0), text: 'hello', metadata: { source: 'crm' } },
    ]);
    const [match] = await store.query(scope, { vector: vector(1, 0, 0, 0), topK: 1 });
    expect(match).toMatchObject({ id: 'a', text: 'hello', metadata: { source: 'crm' } });
  }),

  vectorCase('query returns at most topK matches, the closest ones', async ({ store, workspace, vector }) => {
    const scope = workspace();
    await store.upsert(
      scope,
      [0, 1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, vector: vector(1, n, 0, 0) })),
    );
    const matches = await store.query(scope, { vector: vector(1, 0, 0, 0), topK: 3 });
    expect(matches.map((match) => match.id)).toEqual(['r0', 'r1', 'r2']);
  }),

  vectorCase('query drops matches under minScore', async ({ store, workspace, vector }) => {
    const scope = workspace();
    await store.upsert(scope, [
      { id: 'close', vector: vector(1, 0.1, 0, 0) },
      { id: 'far', vector: vector(0, 1, 0, 0) },
    ]);
    const matches = await store.query(scope, { vector: vector(1, 0, 0, 0), topK: 10, minScore: 0.5 });
    expect(matches.map((match) => match.id)).toEqual(['close']);
  }),

  vectorCase('query on an empty scope returns nothing', async ({ store, workspace, vector }) => {
    expect(await store.query(workspace(), { vector: vector(1, 0, 0, 0), topK: 5 })).toEqual([]);
  }),

  vectorCase(
    'exact search returns the true nearest neighbours',
    async ({ store, workspace }) => {
      const scope = workspace();
      // A fixed pseudo-random sequence, so a failure can be reproduced.
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648 - 0.5;
      };
      const records = Array.from({ length: 200 }, (_, index) => ({
        id: `p${index}`,
        vector: Array.from({ length: store.dimensions }, random),
      }));
      await store.upsert(scope, records);
      const query = Array.from({ length: store.dimensions }, random);
      const expected = records
        .map((record) => ({ id: record.id, score: cosineSimilarity(record.vector, query) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      const matches = await store.query(scope, { vector: query, topK: 10 });
      expect(matches.map((match) => match.id)).toEqual(expected.map((match) => match.id));
      matches.forEach((match, index) => {
        expect(match.score).toBeCloseTo(expected[index]!.score, 3);
      });
    },
    ['exact'],
  ),

  ...Object.entries(FILTER_EXPECTATIONS).map(([name, expectations]) =>
    filterCase(name, [...expectations, ...(MORE_VECTOR_FILTER_EXPECTATIONS[name] ?? [])]),
  ),

  vectorCase('deleteWhere removes the matching records and returns how many', async (context) => {
    const scope = context.workspace();
    await context.store.upsert(scope, filterFixture(context));
    expect(await context.store.deleteWhere(scope, { category: 'blog' })).toBe(2);
    expect(await context.store.count(scope)).toBe(3);
    expect(await context.store.get(scope, ['f2', 'f5'])).toEqual([]);
    expect(await context.store.deleteWhere(scope, { category: 'blog' })).toBe(0);
  }),

  vectorCase(
    'clear removes everything in the scope and returns how many',
    async ({ store, workspace, vector }) => {
      const scope = workspace();
      await store.upsert(
        scope,
        [1, 2, 3].map((n) => ({ id: `r${n}`, vector: vector(n, 1, 0, 0) })),
      );
      expect(await store.clear(scope)).toBe(3);
      expect(await store.count(scope)).toBe(0);
      expect(await store.query(scope, { vector: vector(1, 0, 0, 0), topK: 5 })).toEqual([]);
    },
  ),

  vectorCase(
    'clear of a workspace removes its users’ records too',
    async ({ store, workspace, user, vector }) => {
      const scope = workspace();
      const alice = user(scope, 'alice');
      const bob = user(scope, 'bob');
      await store.upsert(scope, [{ id: 'shared', vector: vector(1, 0, 0, 0) }]);
      await store.upsert(alice, [
        { id: 'a1', vector: vector(1, 0, 0, 0) },
        { id: 'a2', vector: vector(0, 1, 0, 0) },
      ]);
      await store.upsert(bob, [{ id: 'b1', vector: vector(1, 0, 0, 0) }]);
      expect(await store.clear(scope)).toBe(4);
      for (const cleared of [scope, alice, bob]) expect(await store.count(cleared)).toBe(0);
    },
  ),

  vectorCase(
    'clear of a user leaves the workspace and other users',
    async ({ store, workspace, user, vector }) => {
      const scope = workspace();
      const alice = user(scope, 'alice');
      const bob = user(scope, 'bob');
      for (const target of [scope, alice, bob])
        await store.upsert(target, [{ id: 'same-id', vector: vector(1, 0, 0, 0) }]);
      expect(await store.clear(alice)).toBe(1);
      expect(await store.count(alice)).toBe(0);
      expect(await store.count(scope)).toBe(1);
      expect(await store.count(bob)).toBe(1);
    },
  ),

  vectorCase('tenant isolation: another workspace reads, lists and searches nothing', async (context) => {
    const { store, vector } = context;
    const { other } = await seedTwoWorkspaces(context);
    expect(await store.get(other, ['doc-1', 'doc-2'])).toEqual([]);
    expect(await store.count(other)).toBe(0);
    expect(await store.query(other, { vector: vector(1, 0, 0, 0), topK: 10 })).toEqual([]);
    expect(
      await store.query(other, { vector: vector(1, 0, 0, 0), topK: 10, filter: { kind: 'secret' } }),
    ).toEqual([]);
  }),

  vectorCase('tenant isolation: another workspace deletes nothing', async (context) => {
    const { store, vector } = context;
    const { owner, other } = await seedTwoWorkspaces(context);
    expect(await store.delete(other, ['doc-1', 'doc-2'])).toBe(0);
    expect(await store.deleteWhere(other, { kind: 'secret' })).toBe(0);
    expect(await store.clear(other)).toBe(0);
    expect(await store.count(owner)).toBe(2);
    const [match] = await store.query(owner, { vector: vector(1, 0, 0, 0), topK: 1 });
    expect(match).toMatchObject({ id: 'doc-1', text: 'owner text' });
  }),

  vectorCase(
    'tenant isolation: ids and metadata that look like another tenant’s stay in their scope',
    async (context) => {
      const { store, vector } = context;
      const victim = context.workspace();
      const attacker = context.workspace();
      // A workspace whose id extends the victim's, to catch prefix matching on keys or namespaces.
      const lookalike = context.workspace(`${victim.workspaceId}-2`);
      await store.upsert(victim, [{ id: 'doc', vector: vector(1, 0, 0, 0) }]);
      await store.upsert(lookalike, [{ id: 'doc', vector: vector(1, 0, 0, 0) }]);
      await store.upsert(attacker, [
        {
          id: `ws:${victim.workspaceId}:shared:doc`,
          vector: vector(1, 0, 0, 0),
          metadata: { workspaceId: victim.workspaceId, userId: 'admin', namespace: victim.workspaceId },
        },
        { id: `${victim.workspaceId}:doc`, vector: vector(0, 1, 0, 0) },
      ]);
      expect(await store.count(victim)).toBe(1);
      expect(
        await store.get(victim, [`ws:${victim.workspaceId}:shared:doc`, `${victim.workspaceId}:doc`]),
      ).toEqual([]);
      expect(sortedIds(await store.query(victim, { vector: vector(1, 0, 0, 0), topK: 10 }))).toEqual(['doc']);
      const filtered = await store.query(victim, {
        vector: vector(1, 0, 0, 0),
        topK: 10,
        filter: { workspaceId: victim.workspaceId },
      });
      expect(filtered).toEqual([]);
      expect(await store.clear(victim)).toBe(1);
      expect(await store.count(lookalike)).toBe(1);
      expect(await store.count(attacker)).toBe(2);
    },
  ),

  vectorCase('tenant isolation: user-scoped and workspace-scoped records are kept apart', async (context) => {
    const { store, vector } = context;
    const scope = context.workspace();
    const alice = context.user(scope, 'alice');
    const bob = context.user(scope, 'bob');
    await store.upsert(scope, [{ id: 'note', vector: vector(1, 0, 0, 0), text: 'shared' }]);
    await store.upsert(alice, [{ id: 'note', vector: vector(0, 1, 0, 0), text: 'alice' }]);
    expect((await store.get(scope, ['note']))[0]?.text).toBe('shared');
    expect((await store.get(alice, ['note']))[0]?.text).toBe('alice');
    expect(await store.get(bob, ['note'])).toEqual([]);
    expect(
      (await store.query(alice, { vector: vector(1, 0, 0, 0), topK: 5 })).map((match) => match.text),
    ).toEqual(['alice']);
    expect(
      (await store.query(scope, { vector: vector(0, 1, 0, 0), topK: 5 })).map((match) => match.text),
    ).toEqual(['shared']);
    expect(await store.delete(alice, ['note'])).toBe(1);
    expect(await store.count(scope)).toBe(1);
    expect(await store.delete(bob, ['note'])).toBe(0);
  }),

  vectorCase(
    'bad input: invalid records are refused and nothing is written',
    async ({ store, workspace, vector }) => {
      const scope = workspace();
      await store.upsert(scope, [
        { id: 'kept', vector: vector(1, 0, 0, 0), text: 'original', metadata: { v: 1 } },
      ]);
      const fresh = { id: 'fresh', vector: vector(0, 1, 0, 0) };
      const invalid: [string, unknown][] = [
        ['an empty id', { id: '', vector: vector(1, 0, 0, 0) }],
        ['a NaN component', { id: 'kept', vector: vector(Number.NaN, 0, 0, 0) }],
        ['an infinite component', { id: 'kept', vector: vector(Number.POSITIVE_INFINITY, 0, 0, 0) }],
        ['a string vector', { id: 'kept', vector: 'not a vector' }],
        [
          'a metadata key with a dash',
          { id: 'kept', vector: vector(1, 0, 0, 0), metadata: { 'bad-key': 1 } },
        ],
        ['nested metadata', { id: 'kept', vector: vector(1, 0, 0, 0), metadata: { nested: { a: 1 } } }],
        ['a non-string text', { id: 'kept', vector: vector(1, 0, 0, 0), text: 42 }],
      ];
      await expectInvalidBatchesRefused((records) => store.upsert(scope, records), fresh, invalid, 'record');
      expect(await store.count(scope)).toBe(1);
      const [kept] = await store.get(scope, ['kept']);
      expect(kept).toMatchObject({ text: 'original', metadata: { v: 1 } });
      expect(await store.get(scope, ['fresh'])).toEqual([]);
    },
  ),

  vectorCase(
    'bad input: invalid queries, ids and filters are refused',
    async ({ store, workspace, vector }) => {
      const scope = workspace();
      await store.upsert(scope, [{ id: 'kept', vector: vector(1, 0, 0, 0), metadata: { v: 1 } }]);
      for (const topK of [0, -1, 1.5, Number.NaN]) {
        await expectError(
          () => store.query(scope, { vector: vector(1, 0, 0, 0), topK }),
          ValidationError,
          `topK ${topK}`,
        );
      }
      const badFilters = [
        { 'bad key': 1 },
        { v: { $regex: 'x' } },
        { $or: [] },
        { v: { $in: 'x' } },
      ] as MetadataFilter[];
      for (const filter of badFilters) {
        await expectError(
          () => store.query(scope, { vector: vector(1, 0, 0, 0), topK: 1, filter }),
          ValidationError,
          `filter ${JSON.stringify(filter)}`,
        );
        await expectError(
          () => store.deleteWhere(scope, filter),
          ValidationError,
          `deleteWhere ${JSON.stringify(filter)}`,
        );
      }
      await expectError(
        () => store.query(scope, { vector: vector(Number.NaN, 0, 0, 0), topK: 1 }),
        ValidationError,
        'a NaN query vector',
      );
      await expectError(() => store.delete(scope, ['']), ValidationError, 'delete with an empty id');
      await expectError(() => store.get(scope, [42 as never]), ValidationError, 'get with a number id');
      expect(await store.count(scope)).toBe(1);
    },
  ),

  vectorCase(
    'bad input: invalid scopes are refused with ScopeError',
    async ({ store, workspace, vector }) => {
      const scope = workspace();
      await store.upsert(scope, [{ id: 'kept', vector: vector(1, 0, 0, 0) }]);
      for (const bad of invalidScopesLike(scope)) {
        const what = `scope ${JSON.stringify(bad)}`;
        await expectError(
          () => store.upsert(bad, [{ id: 'x', vector: vector(1, 0, 0, 0) }]),
          ScopeError,
          what,
        );
        await expectError(() => store.query(bad, { vector: vector(1, 0, 0, 0), topK: 1 }), ScopeError, what);
        await expectError(() => store.delete(bad, ['kept']), ScopeError, what);
        await expectError(() => store.clear(bad), ScopeError, what);
      }
      expect(await store.count(scope)).toBe(1);
    },
  ),

  vectorCase(
    'dimension mismatch: vectors of another length are refused',
    async ({ store, workspace, vector }) => {
      const scope = workspace();
      await store.upsert(scope, [{ id: 'kept', vector: vector(1, 0, 0, 0) }]);
      const tooLong = [...vector(1, 0, 0, 0), 1];
      const tooShort = vector(1, 0, 0, 0).slice(1);
      await expectError(
        () =>
          store.upsert(scope, [
            { id: 'fresh', vector: vector(0, 1, 0, 0) },
            { id: 'long', vector: tooLong },
          ]),
        DimensionMismatchError,
        'a batch with one long vector',
      );
      await expectError(
        () => store.upsert(scope, [{ id: 'kept', vector: tooShort }]),
        DimensionMismatchError,
        'a short vector',
      );
      await expectError(
        () => store.query(scope, { vector: tooLong, topK: 1 }),
        DimensionMismatchError,
        'a long query vector',
      );
      expect(await store.count(scope)).toBe(1);
      const [kept] = await store.get(scope, ['kept']);
      expect(kept && cosineSimilarity(kept.vector, vector(1, 0, 0, 0))).toBeCloseTo(1, 4);
    },
  ),
];

/**
 * Runs the `VectorStore` conformance suite against an adapter: records, queries and scores, metadata
 * filters, deletes, tenant isolation, bad input and dimension checks.
 *
 * ```ts
 * describeVectorStoreConformance({ name: 'memory', create: () => memoryVectorStore({ dimensions: 8 }) });
 * ```
 */
export const describeVectorStoreConformance = defineConformanceSuite<VectorStore, VectorStoreCapabilities>(
  'VectorStore',
  cases,
);
