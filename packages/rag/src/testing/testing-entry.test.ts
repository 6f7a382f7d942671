import { offlineEmbedder } from '@neptune/core/offline';
import { describe, expect, it } from 'vitest';
import { upstashVectorStore } from '../upstash-vector';
import { startUpstashVectorServer } from './index';

describe('@neptune/rag/testing', () => {
  it('runs upstashVectorStore end to end against the local stand-in, as docs/rag-stores.md shows', async () => {
    const server = await startUpstashVectorServer({ dimension: 64, hybrid: true });
    try {
      const embedder = offlineEmbedder({ dimensions: 64 });
      const store = upstashVectorStore({
        index: { url: server.url, token: server.token },
        dimensions: 64,
        hybrid: true,
      });
      const scope = { workspaceId: 'acme' };
      const [vector] = await embedder.embed(['Annual plans are refunded within 30 days.']);
      await store.upsert(scope, [
        { id: 'refunds', vector: vector!, text: 'Annual plans are refunded within 30 days.', metadata: {} },
      ]);
      const nearest = await store.query(scope, { vector: vector!, topK: 1 });
      expect(nearest.map((hit) => hit.id)).toEqual(['refunds']);
      const hits = await store.search(scope, { query: 'refunded annual plans', topK: 1 });
      expect(hits.map((hit) => hit.id)).toEqual(['refunds']);
      expect(server.requests.upsert).toBeGreaterThan(0);
      expect(
        await store.search({ workspaceId: 'globex' }, { query: 'refunded annual plans', topK: 1 }),
      ).toEqual([]);
      expect(await store.query({ workspaceId: 'globex' }, { vector: vector!, topK: 1 })).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
