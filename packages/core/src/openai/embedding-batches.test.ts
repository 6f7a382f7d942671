import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { type EmbeddingBatchLimits, planEmbeddingBatches } from './embedding-batches';

const limits = (overrides: Partial<EmbeddingBatchLimits> = {}): EmbeddingBatchLimits => ({
  maxInputsPerRequest: 2048,
  maxTokensPerRequest: 300_000,
  maxTokensPerInput: 8191,
  truncate: false,
  countTokens: (text) => text.length,
  ...overrides,
});

describe('planEmbeddingBatches', () => {
  it('records where each batch starts and its token total', () => {
    const batches = planEmbeddingBatches(['aa', 'bbb', 'c'], limits({ maxInputsPerRequest: 2 }));
    expect(batches).toEqual([
      { start: 0, texts: ['aa', 'bbb'], tokens: 5 },
      { start: 2, texts: ['c'], tokens: 1 },
    ]);
  });

  it('refuses a non-string naming its index', () => {
    expect(() => planEmbeddingBatches(['ok', 42], limits())).toThrow(
      /texts\[1\] is not a string \(received 42\)/,
    );
  });

  it('holds the per-input limit to the per-request limit, so every input fits in some request', () => {
    const error = (() => {
      try {
        planEmbeddingBatches(['x'.repeat(20)], limits({ maxTokensPerRequest: 10 }));
      } catch (caught) {
        return caught;
      }
    })();
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).details).toMatchObject({ index: 0, tokens: 20, maxTokensPerInput: 10 });
  });
});
