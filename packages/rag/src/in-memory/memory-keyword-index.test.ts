import { ConfigurationError } from '@neptune/core';
import { describeKeywordIndexConformance } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { standardAnalyzer } from '../analysis/english-analyzer';
import { memoryKeywordIndex } from './memory-keyword-index';

describeKeywordIndexConformance({
  name: 'memory',
  create: () => memoryKeywordIndex(),
  capabilities: { stemming: true, bm25: true },
});

describeKeywordIndexConformance({
  name: 'memory with the standard (non-stemming) analyzer',
  create: () => memoryKeywordIndex({ analyzer: standardAnalyzer }),
  capabilities: { stemming: false, bm25: true },
});

describe('memoryKeywordIndex', () => {
  const scope = { workspaceId: 'acme' };

  it('refuses invalid BM25 parameters with a ConfigurationError', () => {
    expect(() => memoryKeywordIndex({ k1: -1 })).toThrow(ConfigurationError);
    expect(() => memoryKeywordIndex({ b: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => memoryKeywordIndex({ analyzer: 'english' as never })).toThrow(/analyzer must be a function/);
  });

  it('counts, gets and removes by filter within one scope', async () => {
    const index = memoryKeywordIndex();
    await index.add(scope, [
      { id: 'a', text: 'first', metadata: { kind: 'draft' } },
      { id: 'b', text: 'second', metadata: { kind: 'final' } },
    ]);
    await index.add({ workspaceId: 'acme', userId: 'alice' }, [
      { id: 'a', text: 'private', metadata: { kind: 'draft' } },
    ]);
    expect(await index.count(scope)).toBe(2);
    expect(await index.get(scope, ['b', 'missing', 'a'])).toEqual([
      { id: 'b', text: 'second', metadata: { kind: 'final' } },
      { id: 'a', text: 'first', metadata: { kind: 'draft' } },
    ]);
    expect(await index.removeWhere(scope, { kind: 'draft' })).toBe(1);
    expect(await index.count(scope)).toBe(1);
    expect(await index.count({ workspaceId: 'acme', userId: 'alice' })).toBe(1);
  });

  it('uses the BM25 parameters it is given', async () => {
    const documents = [
      { id: 'short', text: 'apple' },
      { id: 'long', text: 'apple apple banana cherry date elderberry fig grape' },
    ];
    // Without length normalisation the document with more occurrences wins; with full normalisation, the short one.
    const flat = memoryKeywordIndex({ b: 0 });
    await flat.add(scope, documents);
    expect((await flat.search(scope, { query: 'apple', topK: 2 }))[0]?.id).toBe('long');
    const normalised = memoryKeywordIndex({ b: 1 });
    await normalised.add(scope, documents);
    expect((await normalised.search(scope, { query: 'apple', topK: 2 }))[0]?.id).toBe('short');
  });
});
