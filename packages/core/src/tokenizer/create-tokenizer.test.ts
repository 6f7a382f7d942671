import fc from 'fast-check';
import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ValidationError } from '../errors';
import { createTokenizer } from './create-tokenizer';
import { tokenizerEncodings } from './tokenizer-encoding';
import { tokenizerForModel } from './tokenizer-for-model';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('createTokenizer', () => {
  it('shares one tokenizer per encoding', async () => {
    const [first, second] = await Promise.all([
      createTokenizer({ encoding: 'o200k_base' }),
      createTokenizer({ encoding: 'o200k_base' }),
    ]);
    expect(first).toBe(second);
    expect(await tokenizerForModel('gpt-4o')).toBe(first);
    expect(await tokenizerForModel('gpt-4')).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it.each([{ encoding: 'p50k_base' }, { encoding: undefined }, undefined])(
    'rejects options %j with a ConfigurationError',
    async (options) => {
      const error = await createTokenizer(options as never).catch((caught: unknown) => caught);
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('o200k_base, cl100k_base');
    },
  );

  it('rejects an unknown model', async () => {
    await expect(tokenizerForModel('mistral-large')).rejects.toThrow(/"mistral-large"/);
  });
});

describe.each(tokenizerEncodings)('a %s tokenizer', (encoding) => {
  it.each([undefined, null, 42, { text: 'x' }, ['x']])(
    'rejects %j as text in every method',
    async (value) => {
      const tokenizer = await createTokenizer({ encoding });
      for (const call of [
        () => tokenizer.count(value as never),
        () => tokenizer.encode(value as never),
        () => tokenizer.truncate(value as never, 10),
      ]) {
        const error = thrownBy(call);
        expect(ValidationError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain('expects a string');
      }
    },
  );

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null])(
    'rejects maxTokens %j, naming the value',
    async (maxTokens) => {
      const tokenizer = await createTokenizer({ encoding });
      const error = thrownBy(() => tokenizer.truncate('some text', maxTokens as never));
      expect(ValidationError.isInstance(error)).toBe(true);
      const shown = typeof maxTokens === 'number' ? String(maxTokens) : JSON.stringify(maxTokens);
      expect((error as Error).message).toContain(`received ${shown}`);
    },
  );

  it.each([[[-1]], [[1.5]], [[Number.NaN]], [[10_000_000]], ['not an array']])(
    'rejects %j as tokens to decode',
    async (tokens) => {
      const tokenizer = await createTokenizer({ encoding });
      expect(ValidationError.isInstance(thrownBy(() => tokenizer.decode(tokens as never)))).toBe(true);
    },
  );

  it('decodes any token list as tiktoken does, partial characters included', async () => {
    const tokenizer = await createTokenizer({ encoding });
    const reference = get_encoding(encoding);
    try {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 40 }).map((text) => tokenizer.encode(text)),
            // Both encodings have every id below 100,000 in their rank tables.
            fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 20 }),
          ),
          fc.nat(),
          fc.nat(),
          (tokens, start, length) => {
            const slice = tokens.slice(start % (tokens.length + 1), (start % (tokens.length + 1)) + length);
            // tiktoken's Python decode keeps a byte-order mark wherever it is; so does TextDecoder with ignoreBOM.
            const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
              reference.decode(new Uint32Array(slice)),
            );
            expect(tokenizer.decode(slice)).toBe(expected);
          },
        ),
        { numRuns: 300 },
      );
    } finally {
      reference.free();
    }
  });

  it('decodes special token ids to their text', async () => {
    const tokenizer = await createTokenizer({ encoding });
    const reference = get_encoding(encoding);
    const [endOfText] = reference.encode('<|endoftext|>', 'all');
    reference.free();
    expect(tokenizer.decode([endOfText!])).toBe('<|endoftext|>');
  });

  it('keeps no state between decodes: half a character does not leak into the next call', async () => {
    const tokenizer = await createTokenizer({ encoding });
    const character = ['🎉', '🦖', '𝄞', '🫠'].find((candidate) => tokenizer.encode(candidate).length > 1);
    expect(character).toBeDefined();
    const text = `${character} ok`;
    const tokens = tokenizer.encode(text);
    expect(tokenizer.decode(tokens.slice(0, 1))).toBe('\ufffd');
    expect(tokenizer.decode(tokens)).toBe(text);
  });

  it('keeps a byte-order mark, at the start or within, through encode and decode', async () => {
    const tokenizer = await createTokenizer({ encoding });
    // Found by the property above: "!\uFEFF//" decoded as "!//" (TextDecoder drops a BOM by default).
    for (const text of ['!\uFEFF//', '\uFEFFhello', 'a\uFEFF', '\uFEFF']) {
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
  });
});
