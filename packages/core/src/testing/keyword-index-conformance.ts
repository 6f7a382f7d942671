import type { KeywordDocument, KeywordIndex, KeywordMatch } from '../contracts/keyword-index';
import type { MetadataFilter } from '../contracts/metadata';
import { ScopeError, ValidationError } from '../errors';
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

/** What a keyword index may or may not do; tests that need a capability are skipped without it. */
export interface KeywordIndexCapabilities {
  /** The analyzer stems English ("running" and "runs" match "run"), as Lucene's English analyzer and Postgres `english` do. */
  readonly stemming: boolean;
  /**
   * Scores are BM25 over the scope's statistics (rarer terms weigh more, longer documents less), rather
   * than a per-document rank such as `ts_rank`.
   */
  readonly bm25: boolean;
}

/**
 * The `KeywordIndex` conformance suite. Every test writes under fresh random workspaces and clears them
 * afterwards. Only the order of results is compared, never score values, since each backend scores on
 * its own scale; the exceptions compare one index's scores with themselves.
 */

interface KeywordTestContext extends TestScopes {
  readonly index: KeywordIndex;
}

function withContext(
  index: KeywordIndex,
  body: (context: KeywordTestContext) => Promise<void>,
): Promise<void> {
  return withTestScopes(
    (scope) => index.clear(scope),
    (scopes) => body({ index, ...scopes }),
  );
}

type KeywordCase = ConformanceCase<KeywordIndex, KeywordIndexCapabilities>;

function keywordCase(
  name: string,
  body: (context: KeywordTestContext) => Promise<void>,
  requires?: (keyof KeywordIndexCapabilities)[],
): KeywordCase {
  return { name, requires, run: (index) => withContext(index, body) };
}

const ids = (matches: readonly KeywordMatch[]) => matches.map((match) => match.id);

function expectBestFirst(matches: readonly KeywordMatch[]): void {
  for (let index = 1; index < matches.length; index++) {
    expect(matches[index]!.score).toBeLessThanOrEqual(matches[index - 1]!.score);
  }
}

/** Every document mentions "report", in the order of FILTER_FIXTURE_METADATA's ids. */
const FILTER_TEXTS = [
  'quarterly report on sales',
  'annual report with charts',
  'report about the database',
  'research report on indexing',
  'weekly report for the web team',
];
const FILTER_FIXTURE: KeywordDocument[] = FILTER_FIXTURE_METADATA.map((entry, position) => ({
  ...entry,
  text: FILTER_TEXTS[position]!,
}));

function filterCase(name: string, expectations: FilterExpectations): KeywordCase {
  return keywordCase(name, async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, FILTER_FIXTURE);
    for (const [filter, expected] of expectations) {
      const matches = await index.search(scope, { query: 'report', topK: 10, filter });
      expect(sortedIds(matches), `filter ${JSON.stringify(filter)}`).toEqual([...expected].sort());
    }
  });
}

async function seedTwoWorkspaces(context: KeywordTestContext) {
  const owner = context.workspace();
  const other = context.workspace();
  await context.index.add(owner, [
    { id: 'doc-1', text: 'confidential merger plans', metadata: { kind: 'secret' } },
    { id: 'doc-2', text: 'confidential salary table', metadata: { kind: 'secret' } },
  ]);
  return { owner, other };
}

const cases: KeywordCase[] = [
  keywordCase('add then search finds documents by their words', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [
      { id: 'a', text: 'Neptune has the strongest winds', metadata: { planet: 'neptune' } },
      { id: 'b', text: 'Mars is a cold desert' },
    ]);
    const matches = await index.search(scope, { query: 'winds', topK: 5 });
    expect(ids(matches)).toEqual(['a']);
    expect(matches[0]).toMatchObject({
      text: 'Neptune has the strongest winds',
      metadata: { planet: 'neptune' },
    });
    expect((await index.search(scope, { query: 'desert', topK: 5 }))[0]?.metadata).toEqual({});
  }),

  keywordCase(
    'search matches any query term, documents with more of them first',
    async ({ index, workspace }) => {
      const scope = workspace();
      await index.add(scope, [
        { id: 'both', text: 'solar panels beside wind turbines' },
        { id: 'solar', text: 'solar panels on a roof' },
        { id: 'wind', text: 'wind turbines on a hill' },
        { id: 'neither', text: 'a coal power plant' },
      ]);
      const matches = await index.search(scope, { query: 'solar wind', topK: 10 });
      expect(matches[0]?.id).toBe('both');
      expect(sortedIds(matches)).toEqual(['both', 'solar', 'wind']);
      expectBestFirst(matches);
    },
  ),

  keywordCase('capitalised words match lowercase queries and the reverse', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [
      { id: 'upper', text: 'NEPTUNE Orbits The Sun' },
      { id: 'lower', text: 'a quiet river at dawn' },
    ]);
    expect(ids(await index.search(scope, { query: 'neptune orbits', topK: 5 }))).toEqual(['upper']);
    expect(ids(await index.search(scope, { query: 'QUIET River', topK: 5 }))).toEqual(['lower']);
  }),

  keywordCase(
    'stemming matches inflected forms',
    async ({ index, workspace }) => {
      const scope = workspace();
      await index.add(scope, [
        { id: 'running', text: 'Running shoes for trail runners' },
        { id: 'studies', text: 'Recent studies of sleep' },
        { id: 'other', text: 'A bowl of soup' },
      ]);
      expect(ids(await index.search(scope, { query: 'run', topK: 5 }))).toEqual(['running']);
      expect(ids(await index.search(scope, { query: 'study', topK: 5 }))).toEqual(['studies']);
      expect(ids(await index.search(scope, { query: 'runs', topK: 5 }))).toEqual(['running']);
    },
    ['stemming'],
  ),

  keywordCase('a query without searchable terms returns nothing', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [{ id: 'a', text: 'some words here' }]);
    for (const query of ['', '   ', '?! ... --']) {
      expect(await index.search(scope, { query, topK: 5 }), `query ${JSON.stringify(query)}`).toEqual([]);
    }
  }),

  keywordCase('search on an empty scope returns nothing', async ({ index, workspace }) => {
    expect(await index.search(workspace(), { query: 'anything', topK: 5 })).toEqual([]);
  }),

  keywordCase('adding an id again replaces the document', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [{ id: 'a', text: 'old apples', metadata: { version: 1 } }]);
    await index.add(scope, [{ id: 'a', text: 'new oranges', metadata: { version: 2 } }]);
    expect(await index.search(scope, { query: 'apples', topK: 5 })).toEqual([]);
    const matches = await index.search(scope, { query: 'oranges', topK: 5 });
    expect(matches.map(({ id, text, metadata }) => ({ id, text, metadata }))).toEqual([
      { id: 'a', text: 'new oranges', metadata: { version: 2 } },
    ]);
  }),

  keywordCase('an id repeated in one add keeps its last document', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [
      { id: 'a', text: 'old apples' },
      { id: 'b', text: 'pears' },
      { id: 'a', text: 'new oranges' },
    ]);
    expect(await index.search(scope, { query: 'apples', topK: 5 })).toEqual([]);
    expect(
      (await index.search(scope, { query: 'oranges pears', topK: 5 })).map(({ id }) => id).sort(),
    ).toEqual(['a', 'b']);
  }),

  keywordCase('remove deletes by id and returns how many existed', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [
      { id: 'a', text: 'red apple' },
      { id: 'b', text: 'green apple' },
    ]);
    expect(await index.remove(scope, ['a', 'missing'])).toBe(1);
    expect(ids(await index.search(scope, { query: 'apple', topK: 5 }))).toEqual(['b']);
    expect(await index.remove(scope, ['a'])).toBe(0);
  }),

  keywordCase('removal leaves no trace in scores', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [
      { id: 'a', text: 'graph databases store edges' },
      { id: 'b', text: 'relational databases store rows and columns' },
      { id: 'c', text: 'a graph of friends' },
    ]);
    const before = await index.search(scope, { query: 'graph databases', topK: 10 });
    await index.add(scope, [
      { id: 'temporary-1', text: 'graph graph graph databases' },
      { id: 'temporary-2', text: 'databases everywhere, a very long document about databases and graphs' },
    ]);
    expect(await index.remove(scope, ['temporary-1', 'temporary-2'])).toBe(2);
    const after = await index.search(scope, { query: 'graph databases', topK: 10 });
    expect(ids(after)).toEqual(ids(before));
    after.forEach((match, position) => {
      expect(match.score).toBeCloseTo(before[position]!.score, 6);
    });
  }),

  keywordCase('search returns at most topK matches, best first', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(
      scope,
      [1, 2, 3, 4, 5].map((count) => ({ id: `d${count}`, text: `${'echo '.repeat(count)}tail` })),
    );
    const matches = await index.search(scope, { query: 'echo', topK: 3 });
    expect(matches).toHaveLength(3);
    expectBestFirst(matches);
    expect(ids(matches)[0]).toBe('d5');
  }),

  keywordCase(
    'rarer terms weigh more',
    async ({ index, workspace }) => {
      const scope = workspace();
      await index.add(scope, [
        ...[1, 2, 3, 4, 5].map((n) => ({ id: `filler-${n}`, text: `common filler number${n}` })),
        { id: 'has-rare', text: 'rare filler' },
        { id: 'has-common', text: 'common filler' },
      ]);
      const matches = await index.search(scope, { query: 'common rare', topK: 10 });
      expect(ids(matches).indexOf('has-rare')).toBeLessThan(ids(matches).indexOf('has-common'));
      expect(ids(matches)[0]).toBe('has-rare');
    },
    ['bm25'],
  ),

  keywordCase(
    'longer documents score lower for the same term frequency',
    async ({ index, workspace }) => {
      const scope = workspace();
      await index.add(scope, [
        { id: 'short', text: 'quantum computing' },
        { id: 'long', text: 'quantum chemistry biology physics astronomy geology botany zoology ecology' },
      ]);
      expect(ids(await index.search(scope, { query: 'quantum', topK: 5 }))).toEqual(['short', 'long']);
    },
    ['bm25'],
  ),

  ...Object.entries(FILTER_EXPECTATIONS).map(([name, expectations]) => filterCase(name, expectations)),

  keywordCase('a filter keeps topK matches among the documents it allows', async ({ index, workspace }) => {
    const scope = workspace();
    // The best-scoring documents are filtered out; topK must still be filled from the rest.
    await index.add(scope, [
      ...[1, 2, 3].map((n) => ({
        id: `hidden-${n}`,
        text: 'alpha alpha alpha',
        metadata: { visible: false },
      })),
      ...[1, 2].map((n) => ({
        id: `shown-${n}`,
        text: `alpha and other words ${n}`,
        metadata: { visible: true },
      })),
    ]);
    const matches = await index.search(scope, { query: 'alpha', topK: 2, filter: { visible: true } });
    expect(sortedIds(matches)).toEqual(['shown-1', 'shown-2']);
  }),

  keywordCase('clear removes everything in the scope and returns how many', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [
      { id: 'a', text: 'one' },
      { id: 'b', text: 'two' },
    ]);
    expect(await index.clear(scope)).toBe(2);
    expect(await index.search(scope, { query: 'one two', topK: 5 })).toEqual([]);
  }),

  keywordCase('clear of a workspace removes its users’ entries too', async ({ index, workspace, user }) => {
    const scope = workspace();
    const alice = user(scope, 'alice');
    const bob = user(scope, 'bob');
    await index.add(scope, [{ id: 'shared', text: 'team handbook' }]);
    await index.add(alice, [
      { id: 'a1', text: 'alice handbook notes' },
      { id: 'a2', text: 'alice todo' },
    ]);
    await index.add(bob, [{ id: 'b1', text: 'bob handbook notes' }]);
    expect(await index.clear(scope)).toBe(4);
    for (const cleared of [scope, alice, bob]) {
      expect(await index.search(cleared, { query: 'handbook todo', topK: 5 })).toEqual([]);
    }
  }),

  keywordCase('clear of a user leaves the workspace and other users', async ({ index, workspace, user }) => {
    const scope = workspace();
    const alice = user(scope, 'alice');
    const bob = user(scope, 'bob');
    for (const target of [scope, alice, bob])
      await index.add(target, [{ id: 'same-id', text: 'shared words' }]);
    expect(await index.clear(alice)).toBe(1);
    expect(await index.search(alice, { query: 'words', topK: 5 })).toEqual([]);
    expect(ids(await index.search(scope, { query: 'words', topK: 5 }))).toEqual(['same-id']);
    expect(ids(await index.search(bob, { query: 'words', topK: 5 }))).toEqual(['same-id']);
  }),

  keywordCase('tenant isolation: another workspace searches nothing', async (context) => {
    const { index } = context;
    const { other } = await seedTwoWorkspaces(context);
    expect(await index.search(other, { query: 'confidential merger salary', topK: 10 })).toEqual([]);
    expect(
      await index.search(other, { query: 'confidential', topK: 10, filter: { kind: 'secret' } }),
    ).toEqual([]);
  }),

  keywordCase('tenant isolation: another workspace removes nothing', async (context) => {
    const { index } = context;
    const { owner, other } = await seedTwoWorkspaces(context);
    expect(await index.remove(other, ['doc-1', 'doc-2'])).toBe(0);
    expect(await index.clear(other)).toBe(0);
    expect(sortedIds(await index.search(owner, { query: 'confidential', topK: 10 }))).toEqual([
      'doc-1',
      'doc-2',
    ]);
  }),

  keywordCase(
    'tenant isolation: ids and metadata that look like another tenant’s stay in their scope',
    async (context) => {
      const { index } = context;
      const victim = context.workspace();
      const attacker = context.workspace();
      const lookalike = context.workspace(`${victim.workspaceId}-2`);
      await index.add(victim, [{ id: 'doc', text: 'payroll export' }]);
      await index.add(lookalike, [{ id: 'doc', text: 'payroll export' }]);
      await index.add(attacker, [
        {
          id: `ws:${victim.workspaceId}:shared:doc`,
          text: 'payroll export injected',
          metadata: { workspaceId: victim.workspaceId, userId: 'admin' },
        },
      ]);
      expect(ids(await index.search(victim, { query: 'payroll injected', topK: 10 }))).toEqual(['doc']);
      const filtered = await index.search(victim, {
        query: 'payroll',
        topK: 10,
        filter: { workspaceId: victim.workspaceId },
      });
      expect(filtered).toEqual([]);
      expect(await index.clear(victim)).toBe(1);
      expect(ids(await index.search(lookalike, { query: 'payroll', topK: 10 }))).toEqual(['doc']);
      expect(ids(await index.search(attacker, { query: 'payroll', topK: 10 }))).toEqual([
        `ws:${victim.workspaceId}:shared:doc`,
      ]);
    },
  ),

  keywordCase(
    'tenant isolation: user-scoped and workspace-scoped entries are kept apart',
    async (context) => {
      const { index } = context;
      const scope = context.workspace();
      const alice = context.user(scope, 'alice');
      const bob = context.user(scope, 'bob');
      await index.add(scope, [{ id: 'note', text: 'shared meeting notes' }]);
      await index.add(alice, [{ id: 'note', text: 'alice private meeting notes' }]);
      expect((await index.search(scope, { query: 'meeting', topK: 5 })).map((match) => match.text)).toEqual([
        'shared meeting notes',
      ]);
      expect((await index.search(alice, { query: 'meeting', topK: 5 })).map((match) => match.text)).toEqual([
        'alice private meeting notes',
      ]);
      expect(await index.search(bob, { query: 'meeting', topK: 5 })).toEqual([]);
      expect(await index.search(scope, { query: 'private', topK: 5 })).toEqual([]);
      expect(await index.remove(bob, ['note'])).toBe(0);
      expect(await index.remove(alice, ['note'])).toBe(1);
      expect(ids(await index.search(scope, { query: 'meeting', topK: 5 }))).toEqual(['note']);
    },
  ),

  keywordCase(
    'tenant isolation: one workspace’s documents do not change another’s scores',
    async (context) => {
      const { index } = context;
      const owner = context.workspace();
      const other = context.workspace();
      const documents = [
        { id: 'a', text: 'vector search with filters' },
        { id: 'b', text: 'keyword search and ranking' },
      ];
      await index.add(owner, documents);
      const before = await index.search(owner, { query: 'search ranking', topK: 5 });
      // Statistics shared across tenants would let one tenant's data shift, and so reveal, another's.
      await index.add(
        other,
        [1, 2, 3, 4, 5, 6].map((n) => ({ id: `x${n}`, text: `ranking ranking ${n}` })),
      );
      const after = await index.search(owner, { query: 'search ranking', topK: 5 });
      expect(ids(after)).toEqual(ids(before));
      after.forEach((match, position) => {
        expect(match.score).toBeCloseTo(before[position]!.score, 6);
      });
    },
    ['bm25'],
  ),

  keywordCase(
    'bad input: invalid documents are refused and nothing is written',
    async ({ index, workspace }) => {
      const scope = workspace();
      await index.add(scope, [{ id: 'kept', text: 'original text', metadata: { v: 1 } }]);
      const fresh = { id: 'fresh', text: 'original but new' };
      const invalid: [string, unknown][] = [
        ['an empty id', { id: '', text: 'x' }],
        ['a number id', { id: 7, text: 'x' }],
        ['a missing text', { id: 'kept' }],
        ['a non-string text', { id: 'kept', text: 42 }],
        ['a metadata key with a dash', { id: 'kept', text: 'x', metadata: { 'bad-key': 1 } }],
        ['nested metadata', { id: 'kept', text: 'x', metadata: { nested: { a: 1 } } }],
      ];
      await expectInvalidBatchesRefused(
        (documents) => index.add(scope, documents),
        fresh,
        invalid,
        'document',
      );
      const matches = await index.search(scope, { query: 'original', topK: 5 });
      expect(matches.map(({ id, text, metadata }) => ({ id, text, metadata }))).toEqual([
        { id: 'kept', text: 'original text', metadata: { v: 1 } },
      ]);
    },
  ),

  keywordCase('bad input: invalid queries, ids and filters are refused', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [{ id: 'kept', text: 'original text' }]);
    for (const topK of [0, -1, 1.5, Number.NaN]) {
      await expectError(
        () => index.search(scope, { query: 'original', topK }),
        ValidationError,
        `topK ${topK}`,
      );
    }
    await expectError(
      () => index.search(scope, { query: 42 as never, topK: 1 }),
      ValidationError,
      'a number query',
    );
    const badFilters = [{ 'bad key': 1 }, { v: { $regex: 'x' } }, { $or: [] }] as MetadataFilter[];
    for (const filter of badFilters) {
      await expectError(
        () => index.search(scope, { query: 'original', topK: 1, filter }),
        ValidationError,
        `filter ${JSON.stringify(filter)}`,
      );
    }
    await expectError(() => index.remove(scope, ['']), ValidationError, 'remove with an empty id');
    expect(ids(await index.search(scope, { query: 'original', topK: 5 }))).toEqual(['kept']);
  }),

  keywordCase('bad input: invalid scopes are refused with ScopeError', async ({ index, workspace }) => {
    const scope = workspace();
    await index.add(scope, [{ id: 'kept', text: 'original text' }]);
    for (const bad of invalidScopesLike(scope)) {
      const what = `scope ${JSON.stringify(bad)}`;
      await expectError(() => index.add(bad, [{ id: 'x', text: 'original' }]), ScopeError, what);
      await expectError(() => index.search(bad, { query: 'original', topK: 1 }), ScopeError, what);
      await expectError(() => index.remove(bad, ['kept']), ScopeError, what);
      await expectError(() => index.clear(bad), ScopeError, what);
    }
    expect(ids(await index.search(scope, { query: 'original', topK: 5 }))).toEqual(['kept']);
  }),
];

/**
 * Runs the `KeywordIndex` conformance suite against an adapter: matching, case folding, stemming (with
 * the `stemming` capability), BM25 behaviour (with `bm25`), metadata filters, removal, tenant isolation
 * and bad input.
 *
 * ```ts
 * describeKeywordIndexConformance({ name: 'memory', create: () => memoryKeywordIndex(), capabilities: { stemming: true, bm25: true } });
 * ```
 */
export const describeKeywordIndexConformance = defineConformanceSuite<KeywordIndex, KeywordIndexCapabilities>(
  'KeywordIndex',
  cases,
);
