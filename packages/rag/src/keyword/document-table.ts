import type { Metadata } from '@neptune/core';
import { encodeLengthNorm } from './lucene-length-norm';

/** Removed documents tolerated before their numbers are reclaimed (see `renumber`). */
const MIN_DEAD_BEFORE_RENUMBER = 1024;

/**
 * The stored side of a keyword index: each document under a small integer number, with its id, text,
 * metadata, distinct terms and length in parallel arrays. Postings refer to these numbers. Numbers are
 * handed out in increasing order and not reused, so postings stay sorted; once removed documents
 * outnumber live ones, `renumber` packs the live ones together again.
 */
export class DocumentTable {
  readonly numberById = new Map<string, number>();
  ids: (string | undefined)[] = [];
  texts: (string | undefined)[] = [];
  metadata: (Metadata | undefined)[] = [];
  /** Each document's distinct terms, so that removing it touches only its own postings. */
  terms: (readonly string[] | undefined)[] = [];
  lengths = new Int32Array(64);
  /** Lengths in Lucene's one-byte encoding. */
  norms = new Uint8Array(64);
  /** 1 for a live document number, 0 for a removed or unused one. */
  alive = new Uint8Array(64);
  /** Numbers handed out so far, removed ones included. */
  count = 0;
  private deadCount = 0;

  /** Live documents. */
  get size(): number {
    return this.numberById.size;
  }

  /** Length of the per-number arrays; scratch arrays indexed by number must be at least this long. */
  get capacity(): number {
    return this.alive.length;
  }

  insert(id: string, text: string, metadata: Metadata, terms: readonly string[], length: number): number {
    const number = this.count++;
    if (this.count > this.alive.length) this.grow(this.count);
    this.numberById.set(id, number);
    this.ids[number] = id;
    this.texts[number] = text;
    this.metadata[number] = metadata;
    this.terms[number] = terms;
    this.lengths[number] = length;
    this.norms[number] = encodeLengthNorm(length);
    this.alive[number] = 1;
    return number;
  }

  /** Marks a document removed; its postings must then be counted out by the caller. */
  remove(number: number): void {
    this.numberById.delete(this.ids[number]!);
    this.alive[number] = 0;
    this.ids[number] = undefined;
    this.texts[number] = undefined;
    this.metadata[number] = undefined;
    this.terms[number] = undefined;
    this.deadCount++;
  }

  /** Whether most numbers now belong to removed documents, so that renumbering pays for itself. */
  get wantsRenumber(): boolean {
    return this.deadCount > MIN_DEAD_BEFORE_RENUMBER && this.deadCount > this.size;
  }

  /**
   * Gives live documents consecutive numbers, keeping their order, and returns the old → new mapping
   * (-1 for removed documents) for the postings to apply.
   */
  renumber(): Int32Array {
    const newNumbers = new Int32Array(this.count).fill(-1);
    let next = 0;
    for (let number = 0; number < this.count; number++) {
      if (this.alive[number] !== 1) continue;
      newNumbers[number] = next;
      this.ids[next] = this.ids[number];
      this.texts[next] = this.texts[number];
      this.metadata[next] = this.metadata[number];
      this.terms[next] = this.terms[number];
      this.lengths[next] = this.lengths[number]!;
      this.norms[next] = this.norms[number]!;
      this.numberById.set(this.ids[next]!, next);
      next++;
    }
    this.alive.fill(0);
    this.alive.fill(1, 0, next);
    for (const array of [this.ids, this.texts, this.metadata, this.terms]) array.length = next;
    this.count = next;
    this.deadCount = 0;
    return newNumbers;
  }

  clear(): void {
    this.numberById.clear();
    this.ids = [];
    this.texts = [];
    this.metadata = [];
    this.terms = [];
    this.alive.fill(0);
    this.count = 0;
    this.deadCount = 0;
  }

  private grow(minimum: number): void {
    const capacity = Math.max(minimum, this.alive.length * 2);
    const lengths = new Int32Array(capacity);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const norms = new Uint8Array(capacity);
    norms.set(this.norms);
    this.norms = norms;
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
  }
}
