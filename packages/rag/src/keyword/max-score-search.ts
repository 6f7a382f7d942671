import type { PostingList } from './posting-list';
import type { TopKHeap } from './top-k-heap';

/** A query term as MaxScore reads it. */
export interface PrunedTerm {
  readonly list: PostingList;
  /** The term's score in a document, given its frequency there and the document's number. */
  readonly score: (frequency: number, document: number) => number;
  /** No document scores higher for this term. */
  readonly bound: number;
}

/**
 * Float rounding in a sum of bounds versus the same sum of scores, and the final rounding to float:
 * a document is skipped only when its bound, so widened, is still under the threshold. Far above any
 * rounding error (about 1e-16 per term), far below any gap that matters to pruning.
 */
const SLACK = 1 + 1e-6;

/** The first position at or after `from` whose document is `document` or later (galloping search). */
function seek(documents: Int32Array, length: number, from: number, document: number): number {
  if (from >= length || documents[from]! >= document) return from;
  let step = 1;
  let low = from;
  let high = from + 1;
  while (high < length && documents[high]! < document) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > length) high = length;
  while (low + 1 < high) {
    const middle = (low + high) >>> 1;
    if (documents[middle]! < document) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * MaxScore (Turtle and Flood, 1995), document at a time over posting lists sorted by document number:
 * once the heap holds `topK` documents, the terms whose bounds together cannot reach its weakest score
 * are "non-essential", and a document is only considered if an essential term holds it; its other
 * terms are looked up (galloping) only while it can still reach the heap. Exact: every document that
 * could enter the top k is scored in full, and its term scores are summed in query order, as the
 * exhaustive term-at-a-time search sums them, so both give the same scores bit for bit.
 *
 * `terms` are in query order; `finish` turns a summed score into the document's final one (Lucene's
 * round to float); `consider` offers a document to the heap (and applies any filter).
 */
export function maxScoreSearch(
  terms: readonly PrunedTerm[],
  alive: Uint8Array,
  heap: TopKHeap,
  finish: (sum: number) => number,
  consider: (document: number, score: number) => void,
): void {
  const count = terms.length;
  // By bound ascending: the cheapest terms to leave out become non-essential first.
  const byBound = terms.map((_, position) => position).sort((a, b) => terms[a]!.bound - terms[b]!.bound);
  const prefix = new Float64Array(count);
  let running = 0;
  for (let rank = 0; rank < count; rank++) {
    running += terms[byBound[rank]!]!.bound;
    prefix[rank] = running;
  }
  const cursors = new Int32Array(count);
  const contributions = new Float64Array(count);
  let firstEssential = 0;

  for (;;) {
    const threshold = heap.threshold;
    while (firstEssential < count && prefix[firstEssential]! * SLACK < threshold) firstEssential++;
    if (firstEssential === count) return;

    // The next document any essential term holds.
    let document = Number.MAX_SAFE_INTEGER;
    for (let rank = firstEssential; rank < count; rank++) {
      const position = byBound[rank]!;
      const { documents, length } = terms[position]!.list;
      let cursor = cursors[position]!;
      while (cursor < length && alive[documents[cursor]!] !== 1) cursor++;
      cursors[position] = cursor;
      if (cursor < length && documents[cursor]! < document) document = documents[cursor]!;
    }
    if (document === Number.MAX_SAFE_INTEGER) return;

    contributions.fill(0);
    let possible = firstEssential === 0 ? 0 : prefix[firstEssential - 1]!;
    for (let rank = firstEssential; rank < count; rank++) {
      const position = byBound[rank]!;
      const term = terms[position]!;
      const cursor = cursors[position]!;
      if (cursor < term.list.length && term.list.documents[cursor] === document) {
        const score = term.score(term.list.frequencies[cursor]!, document);
        contributions[position] = score;
        possible += score;
        cursors[position] = cursor + 1;
      }
    }
    // Non-essential terms, largest bound first, while the document can still reach the heap.
    let reachable = true;
    for (let rank = firstEssential - 1; rank >= 0; rank--) {
      if (possible * SLACK < threshold) {
        reachable = false;
        break;
      }
      const position = byBound[rank]!;
      const term = terms[position]!;
      const { documents, length } = term.list;
      const cursor = seek(documents, length, cursors[position]!, document);
      cursors[position] = cursor;
      possible -= term.bound;
      if (cursor < length && documents[cursor] === document) {
        const score = term.score(term.list.frequencies[cursor]!, document);
        contributions[position] = score;
        possible += score;
      }
    }
    if (!reachable || possible * SLACK < threshold) continue;
    let sum = 0;
    for (let position = 0; position < count; position++) sum += contributions[position]!;
    consider(document, finish(sum));
  }
}
