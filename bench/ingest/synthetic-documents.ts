import type { SourceDocument } from '@neptune/rag';
import { syntheticCorpus } from '../retrieval-scale/synthetic-corpus';

/**
 * Seeded synthetic documents of 40 to 120 Zipf-distributed words (the retrieval-scale corpus's texts),
 * handed out in slices of `batchSize`, so that a million of them never sit in memory at once.
 */
export function* syntheticDocumentBatches(size: number, batchSize: number): Generator<SourceDocument[]> {
  // The corpus's own vectors are not used here (the embedder makes them); 8 dimensions keep them cheap.
  const { source } = syntheticCorpus({ size, dimensions: 8, queries: 0 });
  for (let start = 0; start < size; start += batchSize) {
    const batch: SourceDocument[] = [];
    for (let index = start; index < Math.min(size, start + batchSize); index++) {
      const { id, text } = source.at(index);
      batch.push({ id, text });
    }
    yield batch;
  }
}
