import { SerializationError } from '@neptune/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueCodec } from './value-codec';

const codec = createValueCodec({ maxBytes: 1024 });

function refusal(value: unknown): SerializationError {
  try {
    codec.encode(value);
  } catch (error) {
    if (SerializationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected encode to refuse the value');
}

describe('createValueCodec', () => {
  it('round-trips plain data, Dates included, at any depth', () => {
    const value = {
      at: new Date('2025-01-02T03:04:05.678Z'),
      list: [1, 'two', null, true, { nested: new Date(0) }],
      text: 'é 🚀 "quoted" \n',
      empty: {},
    };
    const back = codec.decode(codec.encode(value)) as typeof value;
    expect(back).toEqual(value);
    expect(back.at).toBeInstanceOf(Date);
    expect((back.list[4] as { nested: Date }).nested).toBeInstanceOf(Date);
    expect(codec.decode(codec.encode(undefined))).toBeUndefined();
    expect(codec.decode(codec.encode(null))).toBeNull();
    expect(codec.decode(codec.encode('plain'))).toBe('plain');
  });

  it('round-trips any JSON value exactly', () => {
    const big = createValueCodec({ maxBytes: 10_000_000 });
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON has no -0; the codec, like JSON, stores it as 0.
        expect(big.decode(big.encode(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it.each([
    ['a function', { user: { onClick: () => {} } }, /value\.user\.onClick is a function/],
    ['a symbol', { tag: Symbol('x') }, /value\.tag is a symbol/],
    ['a bigint', { count: 10n }, /value\.count is a bigint/],
    ['NaN', { score: Number.NaN }, /value\.score is NaN/],
    ['Infinity', [1, Number.POSITIVE_INFINITY], /value\[1\] is Infinity/],
    ['a Map', { byId: new Map([[1, 2]]) }, /value\.byId is a Map/],
    ['a Set', new Set([1]), /value is a Set/],
    ['a class instance', { when: new (class Meeting {})() }, /value\.when is an instance of Meeting/],
    ['an invalid Date', { at: new Date('nope') }, /value\.at is an invalid Date/],
    ['a reserved key', { '\u0000date': 1 }, /reserved by the codec/],
  ])('refuses %s and says where', (_label, value, message) => {
    expect(refusal(value).message).toMatch(message);
  });

  it('refuses a cycle', () => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.self = node;
    expect(refusal({ root: node }).message).toMatch(/value\.root\.self refers back to itself/);
  });

  it('refuses a value over maxBytes, counting UTF-8 bytes', () => {
    expect(codec.encode('x'.repeat(1000)).json).toHaveLength(1002);
    expect(refusal('é'.repeat(600)).message).toMatch(/over the limit of 1024 \(maxValueBytes\)/);
  });

  it('keeps values whose class chose its JSON form with toJSON', () => {
    const money = { amount: 5, toJSON: () => '5.00 EUR' };
    expect(codec.decode(codec.encode({ money }))).toEqual({ money: '5.00 EUR' });
  });
});
