import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { encodingForModel } from './encoding-for-model';
import { isTokenizerEncoding } from './tokenizer-encoding';

// tiktoken's own model table is the reference for which model uses which encoding.
const tiktokenModels = createRequire(import.meta.url)('tiktoken/model_to_encoding.json') as Record<
  string,
  string
>;

function tryEncoding(model: string): string | undefined {
  try {
    return encodingForModel(model);
  } catch (error) {
    if (ValidationError.isInstance(error)) return undefined;
    throw error;
  }
}

describe('encodingForModel', () => {
  it('never disagrees with tiktoken on a model it knows', () => {
    const disagreements = Object.entries(tiktokenModels)
      .map(([model, encoding]) => ({ model, expected: encoding, actual: tryEncoding(model) }))
      .filter(({ expected, actual }) => actual !== undefined && actual !== expected);
    expect(disagreements).toEqual([]);
  });

  it('knows every GPT-4o, GPT-4.1, GPT-5, o-series, GPT-4, GPT-3.5 and embedding model in tiktoken', () => {
    const families =
      /^(gpt-4o|gpt-4\.1|gpt-5|o[134]|gpt-4|gpt-3\.5-turbo|text-embedding-3|text-embedding-ada-002)/;
    const missing = Object.entries(tiktokenModels)
      .filter(([model, encoding]) => families.test(model) && isTokenizerEncoding(encoding))
      .filter(([model]) => tryEncoding(model) === undefined)
      .map(([model]) => model);
    expect(missing).toEqual([]);
  });

  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5.2-codex', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['o4-mini-deep-research', 'o200k_base'],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc123', 'o200k_base'],
    ['GPT-4o', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo-2024-04-09', 'cl100k_base'],
    ['gpt-3.5-turbo-0125', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['text-embedding-ada-002', 'cl100k_base'],
  ])('maps %s to %s', (model, encoding) => {
    expect(encodingForModel(model)).toBe(encoding);
  });

  it.each(['claude-3-5-sonnet', 'gpt-40', 'o10', 'text-davinci-003', ''])(
    'rejects %j with a ValidationError that names it and the fix',
    (model) => {
      const error = (() => {
        try {
          encodingForModel(model);
        } catch (caught) {
          return caught;
        }
      })();
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(JSON.stringify(model));
      expect((error as Error).message).toContain('createTokenizer');
    },
  );

  it('rejects a model that is not a string', () => {
    expect(() => encodingForModel(42 as never)).toThrow(/received 42/);
  });
});
