export interface RankedEntry {
  readonly score: number;
  readonly id: string;
  /** The caller's handle on the entry: a row or document number. */
  readonly reference: number;
}

/** Higher score first; equal scores by id, so rankings do not depend on insertion history. */
function outranks(score: number, id: string, otherScore: number, otherId: string): boolean {
  return score > otherScore || (score === otherScore && id < otherId);
}

/**
 * Keeps the best `capacity` entries seen, in O(log k) per entry, instead of sorting every candidate.
 * A binary min-heap: the root is the weakest entry kept, the one a better candidate evicts.
 */
export class TopKHeap {
  private readonly scores: number[] = [];
  private readonly ids: string[] = [];
  private readonly references: number[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.scores.length;
  }

  /** The score an entry must reach to be kept: the weakest kept score once full, else -Infinity. */
  get threshold(): number {
    return this.scores.length < this.capacity ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  /** Whether an entry would be kept; check this before costly work such as evaluating a filter. */
  admits(score: number, id: string): boolean {
    return this.scores.length < this.capacity || outranks(score, id, this.scores[0]!, this.ids[0]!);
  }

  offer(score: number, id: string, reference: number): void {
    if (this.scores.length < this.capacity) {
      this.scores.push(score);
      this.ids.push(id);
      this.references.push(reference);
      this.siftUp(this.scores.length - 1);
    } else if (this.capacity > 0 && outranks(score, id, this.scores[0]!, this.ids[0]!)) {
      this.set(0, score, id, reference);
      this.siftDown(0);
    }
  }

  /** The entries kept, best first. */
  sorted(): RankedEntry[] {
    const entries = this.scores.map((score, index) => ({
      score,
      id: this.ids[index]!,
      reference: this.references[index]!,
    }));
    return entries.sort((a, b) => (outranks(a.score, a.id, b.score, b.id) ? -1 : 1));
  }

  private set(index: number, score: number, id: string, reference: number): void {
    this.scores[index] = score;
    this.ids[index] = id;
    this.references[index] = reference;
  }

  private weaker(a: number, b: number): boolean {
    return outranks(this.scores[b]!, this.ids[b]!, this.scores[a]!, this.ids[a]!);
  }

  private swap(a: number, b: number): void {
    const score = this.scores[a]!;
    const id = this.ids[a]!;
    const reference = this.references[a]!;
    this.set(a, this.scores[b]!, this.ids[b]!, this.references[b]!);
    this.set(b, score, id, reference);
  }

  private siftUp(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.weaker(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(start: number): void {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let weakest = index;
      if (left < this.scores.length && this.weaker(left, weakest)) weakest = left;
      if (right < this.scores.length && this.weaker(right, weakest)) weakest = right;
      if (weakest === index) return;
      this.swap(index, weakest);
      index = weakest;
    }
  }
}
