import { offlineEmbedder } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { describe, expect, it } from 'vitest';
import { memoryKeywordIndex } from '../in-memory/memory-keyword-index';
import { memoryVectorStore } from '../in-memory/memory-vector-store';
import { hybridRetriever } from './hybrid-retriever';

const acme = { workspaceId: 'acme' };

// Issue 15 item 13: records written by a user's own ingestion (no documentId or chunkIndex) stay
// separate passages, each cited by its own id, rather than one uncited blob.
describe('neighbour context for records without documentId or chunkIndex', () => {
  it('keeps each record a passage of its own, cited by its id', async () => {
    const embedder = offlineEmbedder();
    const vectorStore = memoryVectorStore({ dimensions: embedder.dimensions });
    const keywordIndex = memoryKeywordIndex();
    const records = [
      { id: 'faq-refunds', text: 'Refunds for annual plans are paid within five days.' },
      { id: 'faq-refund-window', text: 'A refund can be asked for within thirty days of payment.' },
      // Half placed: a chunk index but no document, which is no place either.
      { id: 'faq-refund-tax', text: 'Refunds include the tax paid.', metadata: { chunkIndex: 0 } },
    ];
    const vectors = await embedder.embed(records.map((record) => record.text));
    await vectorStore.upsert(
      acme,
      records.map((record, index) => ({ ...record, vector: vectors[index]! })),
    );
    await keywordIndex.add(acme, records);
    const retriever = hybridRetriever({
      vectorStore,
      keywordIndex,
      embedder,
      tokenizer: await createTokenizer({ encoding: 'cl100k_base' }),
    });
    const result = await retriever.retrieve(acme, 'refund', { topK: 5 });
    expect(result.passages.map((passage) => passage.id).sort()).toEqual(
      records.map((record) => record.id).sort(),
    );
    for (const passage of result.passages) {
      const record = records.find((candidate) => candidate.id === passage.id)!;
      expect(passage.text).toBe(record.text);
      expect(passage.chunkIds).toEqual([record.id]);
      expect(passage.citation).toMatchObject({ documentId: record.id, start: 0, end: record.text.length });
    }
  });
});
