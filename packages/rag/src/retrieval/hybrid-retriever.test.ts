import type { KeywordIndex, VectorStore } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { describe, expect, it } from 'vitest';
import { memoryKeywordIndex } from '../in-memory/memory-keyword-index';
import { memoryVectorStore } from '../in-memory/memory-vector-store';
import { hybridRetriever } from './hybrid-retriever';

const acme = { workspaceId: 'acme' };

// The two legs overlap only if the keyword request is on the wire before the vector leg's scan, which
// holds the event loop with the in-memory store. node-postgres writes a pooled query from a
// process.nextTick callback; this keyword index does the same and records when it "sent".
describe('hybridRetriever legs', () => {
  it('sends a remote keyword search before the in-memory vector scan starts', async () => {
    const embedder = offlineEmbedder();
    const vectors = memoryVectorStore({ dimensions: embedder.dimensions });
    const keywords = memoryKeywordIndex();
    const records = [
      { id: 'refunds', text: 'Refunds for annual plans are paid within five days.' },
      { id: 'window', text: 'A refund can be asked for within thirty days of payment.' },
    ];
    const embedded = await embedder.embed(records.map((record) => record.text));
    await vectors.upsert(
      acme,
      records.map((record, index) => ({ ...record, vector: embedded[index]! })),
    );
    await keywords.add(acme, records);

    const events: string[] = [];
    const remoteKeywords: KeywordIndex = {
      ...keywords,
      search: async (scope, query) => {
        await new Promise<void>((resolve) => process.nextTick(resolve));
        events.push('keyword request sent');
        return keywords.search(scope, query);
      },
    };
    const recordingVectors: VectorStore = {
      ...vectors,
      query: (scope, query) => {
        events.push('vector scan started');
        return vectors.query(scope, query);
      },
    };
    const retriever = hybridRetriever({
      vectorStore: recordingVectors,
      keywordIndex: remoteKeywords,
      embedder,
      tokenizer: await createTokenizer({ encoding: 'cl100k_base' }),
    });

    const result = await retriever.retrieve(acme, 'refund', { topK: 2 });
    expect(events).toEqual(['keyword request sent', 'vector scan started']);
    expect(result.legs).toEqual(expect.arrayContaining(['vector', 'keyword']));
    expect(result.passages.map((passage) => passage.id).sort()).toEqual(['refunds', 'window']);
  });
});
