import { type Metadata, type MetadataFilter, matchesFilter } from '@neptune/core';

/**
 * Records and filters for the edges of `matchesFilter` that the conformance suites leave out: nulls and
 * missing keys, arrays under scalar operators, values of another type, negations, nested `$or`, empty
 * lists, quotes and backslashes, very large and very small numbers. An adapter passes when it returns
 * exactly the ids `matchesFilter` selects for every filter.
 */
export const FILTER_FIXTURE_RECORDS: readonly { readonly id: string; readonly metadata: Metadata }[] = [
  { id: 'r1', metadata: { kind: 'a', n: 1, tags: ['x', 'y'], flag: true, note: null } },
  { id: 'r2', metadata: { kind: 'b', n: 2.5, tags: ['y'], flag: false } },
  { id: 'r3', metadata: { kind: 'a', n: -3, tags: [], flag: 'true', note: 'set' } },
  { id: 'r4', metadata: { kind: 'O\'Brien "quoted" \\ back', n: '1', tags: 'x' } },
  { id: 'r5', metadata: { kind: 'c', n: 1e21, tags: [1, 2, true] } },
  { id: 'r6', metadata: { n: 1e-7, tags: ['x'], unicode: 'café 会社 🚀' } },
  { id: 'r7', metadata: {} },
];

export const FILTER_FIXTURE_FILTERS: readonly MetadataFilter[] = [
  { note: null },
  { note: { $ne: null } },
  { note: { $eq: null } },
  { kind: { $ne: 'a' } },
  { kind: 'O\'Brien "quoted" \\ back' },
  { unicode: 'café 会社 🚀' },
  { tags: 'x' },
  { tags: { $ne: 'x' } },
  { tags: { $contains: 'x' } },
  { tags: { $contains: 1 } },
  { tags: { $contains: true } },
  { tags: { $in: ['y', 2] } },
  { tags: { $nin: ['x'] } },
  { n: 1 },
  { n: '1' },
  { n: { $in: [1, '1'] } },
  { n: { $gt: 1 } },
  { n: { $gte: -3, $lt: 2.5 } },
  { n: { $lte: 0 } },
  { n: { $gt: 1e20 } },
  { n: { $gt: 0, $lt: 1e-6 } },
  { n: { $eq: 1, $ne: 2 } },
  { flag: true },
  { flag: 'true' },
  { flag: { $ne: true } },
  { kind: { $in: [] } },
  { kind: { $nin: [] } },
  { $or: [{ kind: 'b' }, { n: { $lt: 0 } }] },
  { kind: 'a', $or: [{ flag: true }, { $or: [{ note: 'set' }, { tags: { $contains: 'nope' } }] }] },
  { missing: { $nin: ['a'] } },
  { missing: { $gt: 0 } },
  {},
];

/** The ids `matchesFilter` (the reference semantics) selects, sorted. */
export function expectedIds(filter: MetadataFilter): string[] {
  return FILTER_FIXTURE_RECORDS.filter((record) => matchesFilter(record.metadata, filter))
    .map((record) => record.id)
    .sort();
}
