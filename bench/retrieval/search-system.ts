/** A document as every contender receives it: one text and its vector, a fresh `number[]` per call. */
export interface IndexedDocument {
  readonly id: string;
  readonly text: string;
  readonly vector: number[];
}

/**
 * The corpus, pulled one document at a time. Each `at` call makes a fresh vector copy, in the `number[]`
 * shape each library's documentation uses, so whatever an index keeps of it counts as the index's memory,
 * and no contender holds the whole corpus twice while building.
 */
export interface DocumentSource {
  readonly count: number;
  at(index: number): IndexedDocument;
}

/** One way of searching an index: returns document ids, best first. */
export type SearchStrategy = (query: string, topK: number) => Promise<string[]>;

/** One library's index, built once, searched in several ways (keyword, vector, hybrid). */
export interface SearchSystem {
  readonly system: string;
  build(source: DocumentSource): Promise<void>;
  /** Strategy name (`bm25`, `vector`, `hybrid`, ...) to search function; available after `build`. */
  readonly strategies: Readonly<Record<string, SearchStrategy>>;
  /** Settings that differ from the library's defaults, for the notes. */
  readonly settings: readonly string[];
}

/** The source in batches of `size` documents. */
export function* batchesOf(source: DocumentSource, size: number): Generator<IndexedDocument[]> {
  for (let start = 0; start < source.count; start += size) {
    const end = Math.min(source.count, start + size);
    const batch: IndexedDocument[] = [];
    for (let index = start; index < end; index++) batch.push(source.at(index));
    yield batch;
  }
}
