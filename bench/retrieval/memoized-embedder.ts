import type { Embedder } from '@neptune/core';

export interface MemoizedEmbedder extends Embedder {
  /** Embeds the texts now, so that later calls for them cost a map lookup. */
  prime(texts: readonly string[]): Promise<void>;
  /** Records a vector for a text (synthetic corpora, whose vectors come from no model). */
  set(text: string, vector: Float32Array): void;
}

/**
 * Every contender gets its query vectors from one memo primed before timing starts, so that query
 * latency compares the search libraries, not the embedding model (identical for all of them).
 */
export function memoizedEmbedder(embedder: Embedder): MemoizedEmbedder {
  const vectors = new Map<string, Float32Array>();
  return {
    provider: embedder.provider,
    model: embedder.model,
    dimensions: embedder.dimensions,
    async embed(texts, options) {
      const missing = texts.filter((text) => !vectors.has(text));
      if (missing.length > 0) {
        const computed = await embedder.embed(missing, options);
        for (const [index, text] of missing.entries()) vectors.set(text, computed[index]!);
      }
      return texts.map((text) => vectors.get(text)!);
    },
    async prime(texts) {
      await this.embed(texts, { purpose: 'query' });
    },
    set(text, vector) {
      vectors.set(text, vector);
    },
  };
}
