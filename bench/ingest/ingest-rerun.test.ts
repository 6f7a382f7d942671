import { memoryKeyValueStore } from '@neptune/cache';
import { offlineEmbedder } from '@neptune/core/offline';
import { createKnowledgeBase } from '@neptune/rag';
import { memoryVectorStore } from '@neptune/rag/memory';
import { describe, expect, it } from 'vitest';
import { countingEmbedder } from './counting-embedder';
import { syntheticDocumentBatches } from './synthetic-documents';

const scope = { workspaceId: 'bench' };
const DOCUMENTS = 600;
const BATCH = 64;

describe('ingestion cost, as the ingest benchmark measures it', () => {
  it('keeps embedding calls bounded and makes a re-run cost zero model calls, even into an empty vector store', async () => {
    const embedder = countingEmbedder(offlineEmbedder({ dimensions: 64 }));
    // One store for the manifest and the embedding cache, as an app with Redis has; unbounded like the default.
    const store = memoryKeyValueStore({
      maxEntries: Number.MAX_SAFE_INTEGER,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    const open = () =>
      createKnowledgeBase({
        embedder,
        store,
        embedBatchSize: BATCH,
        vectorStore: memoryVectorStore({ dimensions: 64 }),
      });
    const batches = () => syntheticDocumentBatches(DOCUMENTS, 200);

    const knowledgeBase = open();
    const ingestAll = async (target: ReturnType<typeof open>) => {
      let chunks = 0;
      for (const batch of batches()) chunks += (await target.ingest(scope, batch)).chunksWritten;
      return chunks;
    };
    const chunks = await ingestAll(knowledgeBase);
    expect(chunks).toBeGreaterThanOrEqual(DOCUMENTS);
    expect(embedder.counts.texts).toBe(chunks);
    expect(embedder.counts.largestCall).toBeLessThanOrEqual(BATCH);
    expect(embedder.counts.calls).toBeGreaterThanOrEqual(Math.ceil(chunks / BATCH));
    expect(embedder.counts.mostConcurrent).toBe(1);

    // The same documents again: unchanged by the manifest, nothing embedded.
    embedder.reset();
    expect(await ingestAll(knowledgeBase)).toBe(0);
    expect(embedder.counts.calls).toBe(0);

    // A process that starts with an empty vector store (an in-memory index after a restart) re-indexes
    // everything, but every vector comes from the embedding cache.
    embedder.reset();
    const restarted = open();
    const everything = [...syntheticDocumentBatches(DOCUMENTS, DOCUMENTS)][0]!;
    expect((await restarted.ingest(scope, everything)).chunksWritten).toBe(chunks);
    expect(embedder.counts.calls).toBe(0);
    expect(await restarted.vectorStore.count(scope)).toBe(chunks);
  });

  // A restart with a persistent manifest and an empty vector store, ingesting in several calls: every call
  // must re-index its documents, not only the first (the manifest's old entries stay untrusted).
  it('re-indexes into an empty vector store across several ingest calls', async () => {
    const store = memoryKeyValueStore({
      maxEntries: Number.MAX_SAFE_INTEGER,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    const open = () => createKnowledgeBase({ store, vectorStore: memoryVectorStore({ dimensions: 1536 }) });
    for (const batch of syntheticDocumentBatches(40, 20)) await open().ingest(scope, batch);
    const restarted = open();
    for (const batch of syntheticDocumentBatches(40, 20)) await restarted.ingest(scope, batch);
    expect(await restarted.vectorStore.count(scope)).toBe(40);
  });
});
