import type { Metadata, MetadataFilter } from '../contracts/metadata';
import { ValidationError } from '../errors';
import type { Scope } from '../scope';
import { randomTestId } from './services';
import { expect } from './vitest-api';

/**
 * What the scoped store suites (`VectorStore`, `KeywordIndex`) share: scopes that clean up after
 * themselves, the refused-input check, the filter fixture's metadata and the invalid scopes. Kept out
 * of the public `testing` entry: each suite is the contract, these are only its parts.
 */

/** Scopes for one test: fresh random workspaces, cleared afterwards so a shared real service stays clean. */
export interface TestScopes {
  /** A new workspace scope, cleared after the test. */
  workspace(workspaceId?: string): Scope;
  /** A user scope inside a workspace. */
  user(workspace: Scope, userId?: string): Scope;
}

/**
 * Runs one test with fresh scopes, then clears every workspace it made. When the test fails, a failing
 * clean-up is ignored so the test's own error is the one reported.
 */
export async function withTestScopes(
  clear: (scope: Scope) => Promise<unknown>,
  body: (scopes: TestScopes) => Promise<void>,
): Promise<void> {
  const workspaces: string[] = [];
  const scopes: TestScopes = {
    workspace(workspaceId = randomTestId('ws')) {
      workspaces.push(workspaceId);
      return { workspaceId };
    },
    user: (workspace, userId = randomTestId('user')) => ({ workspaceId: workspace.workspaceId, userId }),
  };
  const cleanUp = async () => {
    for (const workspaceId of workspaces) await clear({ workspaceId });
  };
  try {
    await body(scopes);
  } catch (error) {
    await cleanUp().catch(() => {});
    throw error;
  }
  await cleanUp();
}

type ErrorClass = { readonly name: string; isInstance(error: unknown): boolean };

/** Checks with `isInstance`, not `instanceof`, so an adapter built against another copy of core still passes. */
export async function expectError(
  call: () => Promise<unknown>,
  errorClass: ErrorClass,
  what: string,
): Promise<void> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(caught, `${what} should be refused with ${errorClass.name}`).toBeDefined();
  expect(errorClass.isInstance(caught), `${what} threw ${String(caught)}, not ${errorClass.name}`).toBe(true);
}

/**
 * Each invalid entry, written in one batch after a valid one, must be refused with `ValidationError`, and
 * so must a batch that is not an array; the caller then checks that nothing of it was written.
 */
export async function expectInvalidBatchesRefused<Entry>(
  write: (entries: Entry[]) => Promise<unknown>,
  valid: Entry,
  invalid: readonly (readonly [string, unknown])[],
  noun: string,
): Promise<void> {
  for (const [what, entry] of invalid) {
    await expectError(() => write([valid, entry as Entry]), ValidationError, `a ${noun} with ${what}`);
  }
  await expectError(() => write('nope' as never), ValidationError, `${noun}s that are not an array`);
}

export const sortedIds = (items: readonly { id: string }[]) => items.map((item) => item.id).sort();

/** Five entries whose metadata exercises every filter operator; the filter cases expect these ids. */
export const FILTER_FIXTURE_METADATA: readonly { readonly id: string; readonly metadata: Metadata }[] = [
  { id: 'f1', metadata: { category: 'news', year: 2019, tags: ['ai', 'ml'], published: true } },
  { id: 'f2', metadata: { category: 'blog', year: 2020, tags: ['ml'], published: false } },
  { id: 'f3', metadata: { category: 'news', year: 2021, tags: ['db'], published: true } },
  { id: 'f4', metadata: { category: 'paper', year: 2022, tags: ['ai', 'db'], published: true } },
  { id: 'f5', metadata: { category: 'blog', year: 2023, tags: ['web'], published: false } },
];

/** Filters and the fixture ids each must select. */
export type FilterExpectations = readonly (readonly [MetadataFilter, readonly string[]])[];

/**
 * What each filter test expects of FILTER_FIXTURE_METADATA, by test name: the ids follow from that
 * metadata, so they are written beside it once. A suite may check more filters in the same test.
 */
export const FILTER_EXPECTATIONS: Readonly<Record<string, FilterExpectations>> = {
  'filter: equality on strings, numbers and booleans': [
    [{ category: 'news' }, ['f1', 'f3']],
    [{ category: { $eq: 'blog' } }, ['f2', 'f5']],
    [{ year: 2022 }, ['f4']],
    [{ published: false }, ['f2', 'f5']],
    [{ category: 'missing' }, []],
  ],
  'filter: $ne': [[{ category: { $ne: 'news' } }, ['f2', 'f4', 'f5']]],
  'filter: $in and $nin': [
    [{ category: { $in: ['blog', 'paper'] } }, ['f2', 'f4', 'f5']],
    [{ category: { $nin: ['blog', 'paper'] } }, ['f1', 'f3']],
  ],
  'filter: ranges': [
    [{ year: { $gte: 2020, $lt: 2022 } }, ['f2', 'f3']],
    [{ year: { $gt: 2021 } }, ['f4', 'f5']],
  ],
  'filter: $contains on arrays': [
    [{ tags: { $contains: 'ai' } }, ['f1', 'f4']],
    [{ tags: { $contains: 'none' } }, []],
  ],
  'filter: $or': [[{ $or: [{ category: 'paper' }, { year: { $lt: 2020 } }] }, ['f1', 'f4']]],
  'filter: fields combine with AND': [[{ published: true, tags: { $contains: 'db' } }, ['f3', 'f4']]],
};

/** Scopes every store must refuse with `ScopeError`: an empty id, a separator, a glob character, no workspace. */
export function invalidScopesLike(scope: Scope): Scope[] {
  return [
    { workspaceId: '' },
    { workspaceId: `${scope.workspaceId}:x` },
    { workspaceId: scope.workspaceId, userId: 'a*' },
    {},
  ] as Scope[];
}
