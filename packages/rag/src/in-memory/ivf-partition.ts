import type { Metadata, MetadataFilter, VectorMatch, VectorRecord } from '@neptune/core';
import { matchesFilter } from '@neptune/core';
import { TopKHeap } from '../keyword/top-k-heap';
import { dotAt, nearestCentre, seededRandom, sphericalKMeans } from './spherical-k-means';

/** The unit vectors of one cluster, in one contiguous array, with their ids. */
class InvertedList {
  vectors: Float32Array;
  readonly ids: string[] = [];

  constructor(private readonly dimensions: number) {
    this.vectors = new Float32Array(16 * dimensions);
  }

  get size(): number {
    return this.ids.length;
  }

  append(id: string, unit: Float32Array, unitOffset = 0): number {
    const row = this.ids.length;
    if ((row + 1) * this.dimensions > this.vectors.length) {
      const grown = new Float32Array(this.vectors.length * 2);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    this.vectors.set(unit.subarray(unitOffset, unitOffset + this.dimensions), row * this.dimensions);
    this.ids.push(id);
    return row;
  }

  /** Moves the last row into `row`; returns the id that moved there, if any. */
  removeAt(row: number): string | undefined {
    const last = this.ids.length - 1;
    if (row !== last) {
      this.vectors.copyWithin(row * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.ids[row] = this.ids[last]!;
    }
    this.ids.pop();
    return row !== last ? this.ids[row] : undefined;
  }
}

interface StoredRecord {
  list: number;
  row: number;
  /** The vector's original length, so `get` returns it as written. */
  readonly length: number;
  readonly text: string | undefined;
  readonly metadata: Metadata;
}

export interface IvfSettings {
  /** Below this many rows the partition is one list, searched exactly. */
  readonly minTrainRows: number;
  /** Lists searched per query; default about one in twelve (at least 8). */
  readonly probes: number | undefined;
  readonly seed: number;
}

/** Lists: about √n / 2, from 16 up to 256, which keeps training and assignment affordable at a million rows. */
const listCountFor = (rows: number) => Math.max(16, Math.min(256, Math.round(Math.sqrt(rows) / 2)));
const TRAINING_ITERATIONS = 8;
const TRAINING_ROWS_PER_LIST = 40;

/**
 * An inverted-file (IVF) index over the unit vectors of one scope: rows are clustered by spherical
 * k-means, and a query scans only the lists whose centres are closest to it. Exact until `minTrainRows`;
 * then trained, and retrained (every row reassigned) each time the partition doubles, so lists stay
 * balanced as it grows. New rows join their nearest list at once. A query keeps scanning lists past
 * `probes` until it has `topK` matches, so filters and small lists still fill the result.
 */
export class IvfPartition {
  private lists: InvertedList[];
  private centres: Float32Array | undefined;
  private trainedRows = 0;
  private readonly records = new Map<string, StoredRecord>();
  private readonly scratch: Float32Array;

  constructor(
    readonly dimensions: number,
    private readonly settings: IvfSettings,
  ) {
    this.lists = [new InvertedList(dimensions)];
    this.scratch = new Float32Array(dimensions);
  }

  get size(): number {
    return this.records.size;
  }

  /** Lists the partition is split into: 1 until trained. */
  get listCount(): number {
    return this.lists.length;
  }

  upsert(id: string, vector: Float32Array | readonly number[], text: string | undefined, metadata: Metadata) {
    const existing = this.records.get(id);
    if (existing !== undefined) this.removeFromList(existing);
    let squares = 0;
    for (let index = 0; index < this.dimensions; index++) squares += vector[index]! * vector[index]!;
    const length = Math.sqrt(squares);
    const scale = length === 0 ? 0 : 1 / length;
    for (let index = 0; index < this.dimensions; index++) this.scratch[index] = vector[index]! * scale;
    const list = this.centres
      ? nearestCentre(this.scratch, 0, this.centres, this.lists.length, this.dimensions)
      : 0;
    const row = this.lists[list]!.append(id, this.scratch);
    this.records.set(id, { list, row, length, text, metadata });
    if (this.size >= Math.max(this.settings.minTrainRows, this.trainedRows * 2)) this.train();
  }

  delete(id: string): boolean {
    const record = this.records.get(id);
    if (record === undefined) return false;
    this.removeFromList(record);
    this.records.delete(id);
    return true;
  }

  get(id: string): VectorRecord | undefined {
    const record = this.records.get(id);
    if (record === undefined) return undefined;
    const offset = record.row * this.dimensions;
    const vector = this.lists[record.list]!.vectors.slice(offset, offset + this.dimensions);
    for (let index = 0; index < vector.length; index++) vector[index]! *= record.length;
    return { id, vector, text: record.text, metadata: record.metadata };
  }

  idsMatching(filter: MetadataFilter): string[] {
    return [...this.records].filter(([, record]) => matchesFilter(record.metadata, filter)).map(([id]) => id);
  }

  /** Approximate search once trained; `unitQuery` must have length 1 (or 0). */
  query(unitQuery: Float32Array, topK: number, filter?: MetadataFilter, minScore?: number): VectorMatch[] {
    const heap = new TopKHeap(topK);
    const order = this.listsByCloseness(unitQuery);
    const probes = this.settings.probes ?? Math.max(8, Math.ceil(this.lists.length / 12));
    for (let position = 0; position < order.length; position++) {
      if (position >= probes && heap.size >= topK) break;
      this.scanList(this.lists[order[position]!]!, unitQuery, heap, filter, minScore);
    }
    return heap.sorted().map(({ score, id }) => {
      const record = this.records.get(id)!;
      return { id, score, text: record.text, metadata: record.metadata };
    });
  }

  private scanList(
    list: InvertedList,
    unitQuery: Float32Array,
    heap: TopKHeap,
    filter: MetadataFilter | undefined,
    minScore: number | undefined,
  ): void {
    const { dimensions } = this;
    const vectors = list.vectors;
    for (let row = 0; row < list.size; row++) {
      const dot = dotAt(vectors, row * dimensions, unitQuery, 0, dimensions);
      // Rounding can push the dot product of unit vectors a hair past ±1.
      const score = Math.max(-1, Math.min(1, dot));
      if (minScore !== undefined && score < minScore) continue;
      const id = list.ids[row]!;
      if (!heap.admits(score, id)) continue;
      if (filter !== undefined && !matchesFilter(this.records.get(id)!.metadata, filter)) continue;
      heap.offer(score, id, 0);
    }
  }

  /** List numbers, the closest centre first; one list (searched exactly) until trained. */
  private listsByCloseness(unitQuery: Float32Array): number[] {
    const centres = this.centres;
    if (centres === undefined) return [0];
    const scores = new Float64Array(this.lists.length);
    for (let list = 0; list < this.lists.length; list++) {
      scores[list] = dotAt(centres, list * this.dimensions, unitQuery, 0, this.dimensions);
    }
    return Array.from(scores.keys()).sort((left, right) => scores[right]! - scores[left]!);
  }

  private removeFromList(record: StoredRecord): void {
    const moved = this.lists[record.list]!.removeAt(record.row);
    if (moved !== undefined) this.records.get(moved)!.row = record.row;
  }

  /** Clusters a sample of the rows, then moves every row to the list of its nearest centre. */
  private train(): void {
    const rows = this.size;
    const listCount = listCountFor(rows);
    const random = seededRandom(this.settings.seed + rows);
    const sampleCount = Math.min(rows, listCount * TRAINING_ROWS_PER_LIST);
    const entries = [...this.records.values()];
    const sample = new Float32Array(sampleCount * this.dimensions);
    for (let index = 0; index < sampleCount; index++) {
      // A partial Fisher-Yates shuffle: a uniform sample without repeats.
      const pick = index + Math.floor(random() * (entries.length - index));
      [entries[index], entries[pick]] = [entries[pick]!, entries[index]!];
      const { list, row } = entries[index]!;
      const source = this.lists[list]!.vectors;
      sample.set(
        source.subarray(row * this.dimensions, (row + 1) * this.dimensions),
        index * this.dimensions,
      );
    }
    const centres = sphericalKMeans({
      rows: sample,
      rowCount: sampleCount,
      dimensions: this.dimensions,
      clusters: listCount,
      iterations: TRAINING_ITERATIONS,
      seed: this.settings.seed + rows,
    });
    const lists = Array.from(
      { length: centres.length / this.dimensions },
      () => new InvertedList(this.dimensions),
    );
    for (const oldList of this.lists) {
      for (let row = 0; row < oldList.size; row++) {
        const target = nearestCentre(oldList.vectors, row, centres, lists.length, this.dimensions);
        const record = this.records.get(oldList.ids[row]!)!;
        record.list = target;
        record.row = lists[target]!.append(oldList.ids[row]!, oldList.vectors, row * this.dimensions);
      }
    }
    this.lists = lists;
    this.centres = centres;
    this.trainedRows = rows;
  }
}
