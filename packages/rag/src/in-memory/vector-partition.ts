import type { Metadata, MetadataFilter, VectorMatch, VectorRecord } from '@neptune/core';
import { matchesFilter } from '@neptune/core';
import { TopKHeap } from '../keyword/top-k-heap';

/**
 * The vectors of one scope in a single contiguous `Float32Array`, one row per record, stored at unit
 * length so that a query is a run of dot products over adjacent memory. Capacity doubles when full; a
 * delete moves the last row into the hole, so rows stay dense.
 */
export class VectorPartition {
  private vectors: Float32Array;
  /** Each record's original length, so `get` returns the vector as written rather than its unit copy. */
  private lengths: Float64Array;
  private readonly ids: string[] = [];
  private readonly texts: (string | undefined)[] = [];
  private readonly metadata: Metadata[] = [];
  private readonly rowById = new Map<string, number>();

  constructor(
    readonly dimensions: number,
    initialCapacity = 16,
  ) {
    this.vectors = new Float32Array(initialCapacity * dimensions);
    this.lengths = new Float64Array(initialCapacity);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Writes a record, replacing one with the same id. The vector must have `dimensions` finite values. */
  upsert(
    id: string,
    vector: Float32Array | readonly number[],
    text: string | undefined,
    metadata: Metadata,
  ): void {
    let row = this.rowById.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.ensureCapacity(row + 1);
      this.rowById.set(id, row);
      this.ids.push(id);
      this.texts.push(text);
      this.metadata.push(metadata);
    } else {
      this.texts[row] = text;
      this.metadata[row] = metadata;
    }
    let squares = 0;
    for (let index = 0; index < this.dimensions; index++) squares += vector[index]! * vector[index]!;
    const length = Math.sqrt(squares);
    // A zero vector stays zero: it is similar to nothing (score 0), like `cosineSimilarity` in core.
    const scale = length === 0 ? 0 : 1 / length;
    const offset = row * this.dimensions;
    for (let index = 0; index < this.dimensions; index++)
      this.vectors[offset + index] = vector[index]! * scale;
    this.lengths[row] = length;
  }

  delete(id: string): boolean {
    const row = this.rowById.get(id);
    if (row === undefined) return false;
    this.rowById.delete(id);
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastOffset = last * this.dimensions;
      this.vectors.copyWithin(row * this.dimensions, lastOffset, lastOffset + this.dimensions);
      this.lengths[row] = this.lengths[last]!;
      this.ids[row] = this.ids[last]!;
      this.texts[row] = this.texts[last];
      this.metadata[row] = this.metadata[last]!;
      this.rowById.set(this.ids[row]!, row);
    }
    this.ids.pop();
    this.texts.pop();
    this.metadata.pop();
    return true;
  }

  get(id: string): VectorRecord | undefined {
    const row = this.rowById.get(id);
    if (row === undefined) return undefined;
    const offset = row * this.dimensions;
    const vector = this.vectors.slice(offset, offset + this.dimensions);
    const length = this.lengths[row]!;
    for (let index = 0; index < vector.length; index++) vector[index]! *= length;
    return { id, vector, text: this.texts[row], metadata: this.metadata[row]! };
  }

  idsMatching(filter: MetadataFilter): string[] {
    return this.ids.filter((_, row) => matchesFilter(this.metadata[row]!, filter));
  }

  /** Exact search: scores every row, keeps the best `topK` in a heap. `unitQuery` must have length 1 (or 0). */
  query(unitQuery: Float32Array, topK: number, filter?: MetadataFilter, minScore?: number): VectorMatch[] {
    const heap = new TopKHeap(topK);
    const { dimensions, vectors } = this;
    for (let row = 0; row < this.ids.length; row++) {
      const offset = row * dimensions;
      let dot = 0;
      for (let index = 0; index < dimensions; index++) dot += vectors[offset + index]! * unitQuery[index]!;
      // Rounding can push the dot product of unit vectors a hair past ±1.
      const score = Math.max(-1, Math.min(1, dot));
      if (minScore !== undefined && score < minScore) continue;
      const id = this.ids[row]!;
      if (!heap.admits(score, id)) continue;
      if (filter !== undefined && !matchesFilter(this.metadata[row]!, filter)) continue;
      heap.offer(score, id, row);
    }
    return heap.sorted().map(({ score, id, reference }) => ({
      id,
      score,
      text: this.texts[reference],
      metadata: this.metadata[reference]!,
    }));
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.lengths.length) return;
    const capacity = Math.max(rows, this.lengths.length * 2);
    const vectors = new Float32Array(capacity * this.dimensions);
    vectors.set(this.vectors);
    this.vectors = vectors;
    const lengths = new Float64Array(capacity);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}
