import { describe, expect, it } from 'vitest';
import { evaluateFilter, parseFilter } from '../testing/upstash-vector/upstash-filter-evaluator';
import { decimalLiteral, stringLiteral, upstashFilter } from './upstash-filter';

describe('upstashFilter', () => {
  it('writes numbers in plain decimal, which the filter syntax reads back exactly', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-3, '-3'],
      [2.5, '2.5'],
      [1e21, '1000000000000000000000'],
      [1.5e22, '15000000000000000000000'],
      [1e-7, '0.0000001'],
      [-2.5e-8, '-0.000000025'],
      [123456.789e-10, '0.0000123456789'],
    ];
    for (const [value, text] of cases) {
      expect(decimalLiteral(value)).toBe(text);
      expect(Number(text)).toBe(value);
    }
  });

  it('quotes strings so that no value can end the literal', () => {
    expect(stringLiteral("O'Brien")).toBe("'O\\'Brien'");
    expect(stringLiteral('back\\slash')).toBe("'back\\\\slash'");
    const value = "x\\' OR metadata.kind = 'a";
    const node = parseFilter(`metadata.kind = ${stringLiteral(value)}`);
    expect(evaluateFilter(node, { metadata: { kind: value } })).toBe(true);
    expect(evaluateFilter(node, { metadata: { kind: 'a' } })).toBe(false);
  });

  it('reads every key under the metadata object, so keys named like keywords stay fields', () => {
    expect(upstashFilter({ in: 1 })).toEqual({
      kind: 'filter',
      filter: '(metadata.in = 1 OR metadata.in CONTAINS 1)',
    });
    expect(upstashFilter({ flag: true, note: null })).toEqual({
      kind: 'filter',
      filter: '((metadata.flag = true OR metadata.flag CONTAINS true) AND HAS NOT FIELD metadata.note)',
    });
  });

  it('folds constant filters: an empty $in matches nothing, an empty $nin or {} everything', () => {
    expect(upstashFilter(undefined)).toEqual({ kind: 'match-all' });
    expect(upstashFilter({})).toEqual({ kind: 'match-all' });
    expect(upstashFilter({ kind: { $nin: [] } })).toEqual({ kind: 'match-all' });
    expect(upstashFilter({ kind: { $in: [] } })).toEqual({ kind: 'match-none' });
    expect(upstashFilter({ a: 1, b: { $in: [] } })).toEqual({ kind: 'match-none' });
    expect(upstashFilter({ $or: [{ b: { $in: [] } }, { a: { $gt: 1 } }] })).toEqual({
      kind: 'filter',
      filter: 'metadata.a > 1',
    });
  });
});
