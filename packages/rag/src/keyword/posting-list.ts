/**
 * The documents that contain one term, with the term's frequency in each, in increasing document
 * number. Removing a document only counts it out (`live` drops at once, so document frequencies stay
 * exact); its entry is swept out when dead entries outnumber live ones, which keeps removal O(1)
 * amortised instead of a scan of the list per removed document.
 */
export class PostingList {
  documents: Int32Array;
  frequencies: Int32Array;
  /** Entries in the arrays, dead ones included. */
  length = 0;
  /** Documents that still contain the term: the term's document frequency. */
  live = 0;
  /**
   * The highest frequency and the shortest document length ever appended: with them a term's score in
   * any of its documents has an upper bound (dynamic pruning). Removal leaves them, still valid bounds.
   */
  maxFrequency = 0;
  shortestLength = Number.POSITIVE_INFINITY;

  constructor(initialCapacity = 4) {
    this.documents = new Int32Array(initialCapacity);
    this.frequencies = new Int32Array(initialCapacity);
  }

  append(document: number, frequency: number, length: number): void {
    if (frequency > this.maxFrequency) this.maxFrequency = frequency;
    if (length < this.shortestLength) this.shortestLength = length;
    if (this.length === this.documents.length) {
      const documents = new Int32Array(Math.max(4, this.length * 2));
      documents.set(this.documents);
      this.documents = documents;
      const frequencies = new Int32Array(Math.max(4, this.length * 2));
      frequencies.set(this.frequencies);
      this.frequencies = frequencies;
    }
    this.documents[this.length] = document;
    this.frequencies[this.length] = frequency;
    this.length++;
    this.live++;
  }

  /** Counts a document out; `alive` must already say it is gone. Sweeps when half the entries are dead. */
  markRemoved(alive: Uint8Array): void {
    this.live--;
    if (this.length - this.live > this.live && this.length > 8) this.keepOnly(alive);
  }

  /** Drops entries of dead documents. */
  keepOnly(alive: Uint8Array): void {
    let kept = 0;
    for (let index = 0; index < this.length; index++) {
      const document = this.documents[index]!;
      if (alive[document] !== 1) continue;
      this.documents[kept] = document;
      this.frequencies[kept] = this.frequencies[index]!;
      kept++;
    }
    this.length = kept;
  }

  /** Applies a renumbering (`-1` for dead documents); numbers only shrink, so order is kept. */
  renumber(newNumbers: Int32Array): void {
    let kept = 0;
    for (let index = 0; index < this.length; index++) {
      const renumbered = newNumbers[this.documents[index]!]!;
      if (renumbered < 0) continue;
      this.documents[kept] = renumbered;
      this.frequencies[kept] = this.frequencies[index]!;
      kept++;
    }
    this.length = kept;
  }
}
