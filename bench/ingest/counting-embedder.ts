import type { Embedder } from '@neptune/core';

export interface EmbedderCounts {
  calls: number;
  texts: number;
  /** Most texts in one call: bounded by `embedBatchSize`. */
  largestCall: number;
  /** Most calls in flight at once: bounded by how many ingestions run at a time. */
  mostConcurrent: number;
}

/** Counts what reaches the model (behind the embedding cache): calls, texts, batch size and concurrency. */
export function countingEmbedder(
  embedder: Embedder,
): Embedder & { readonly counts: EmbedderCounts; reset(): void } {
  const counts: EmbedderCounts = { calls: 0, texts: 0, largestCall: 0, mostConcurrent: 0 };
  let inFlight = 0;
  return {
    provider: embedder.provider,
    model: embedder.model,
    dimensions: embedder.dimensions,
    counts,
    reset() {
      Object.assign(counts, { calls: 0, texts: 0, largestCall: 0, mostConcurrent: 0 });
    },
    async embed(texts, options) {
      counts.calls++;
      counts.texts += texts.length;
      counts.largestCall = Math.max(counts.largestCall, texts.length);
      inFlight++;
      counts.mostConcurrent = Math.max(counts.mostConcurrent, inFlight);
      try {
        return await embedder.embed(texts, options);
      } finally {
        inFlight--;
      }
    },
  };
}
