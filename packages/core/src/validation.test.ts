import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, ValidationError } from './errors';
import { parseInput, parseOptions, resolveSetting } from './validation';

describe('parseInput and parseOptions', () => {
  const schema = z.object({ maxTokens: z.number().int().positive(), name: z.string() });

  it('returns parsed values', () => {
    expect(parseInput(schema, { maxTokens: 5, name: 'a' }, 'budget')).toEqual({ maxTokens: 5, name: 'a' });
  });

  it('names the argument, the field and the value received', () => {
    expect(() => parseInput(schema, { maxTokens: -3, name: 'a' }, 'budget')).toThrow(
      /Invalid budget: maxTokens: .* \(received -3\)/,
    );
    try {
      parseInput(schema, { maxTokens: 0 }, 'budget');
    } catch (error) {
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/name: .*received undefined/);
    }
  });

  it('options errors are ConfigurationErrors, and undefined options parse as {}', () => {
    expect(() => parseOptions(schema, { maxTokens: 'x' }, 'retriever options')).toThrow(ConfigurationError);
    expect(parseOptions(z.object({ a: z.number().default(1) }), undefined, 'x')).toEqual({ a: 1 });
  });
});

describe('resolveSetting', () => {
  afterEach(() => {
    delete process.env.NEPTUNE_TEST_SETTING;
  });
  const base = {
    optionName: 'apiKey',
    environmentVariable: 'NEPTUNE_TEST_SETTING',
    description: 'The API key',
  };

  it('prefers the explicit option, then the environment', () => {
    process.env.NEPTUNE_TEST_SETTING = 'from-env';
    expect(resolveSetting({ ...base, value: 'explicit' })).toBe('explicit');
    expect(resolveSetting({ ...base, value: undefined })).toBe('from-env');
  });

  it('names both the option and the variable when neither is set', () => {
    expect(() => resolveSetting({ ...base, value: '  ' })).toThrow(
      /The API key is missing. Pass it as the `apiKey` option or set the NEPTUNE_TEST_SETTING environment variable./,
    );
    expect(resolveSetting({ ...base, value: undefined, required: false })).toBeUndefined();
  });
});
