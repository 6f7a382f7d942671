import { describe, expect, it } from 'vitest';
import { cloneDecoded } from './clone-decoded';

describe('cloneDecoded', () => {
  it('copies objects, arrays and Dates deeply, sharing nothing mutable', () => {
    const original = { list: [{ at: new Date(5) }, 'text', 1, null], nested: { deep: { value: true } } };
    const copy = cloneDecoded(original);
    expect(copy).toEqual(original);
    expect(copy.list).not.toBe(original.list);
    expect(copy.list[0]).not.toBe(original.list[0]);
    expect((copy.list[0] as { at: Date }).at).not.toBe((original.list[0] as { at: Date }).at);
    expect(copy.nested.deep).not.toBe(original.nested.deep);
  });

  it('keeps a "__proto__" key from JSON as a plain key, without touching the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = cloneDecoded(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
