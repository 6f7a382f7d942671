import type { Tokenizer } from '@neptune/core';
import type { TextChunk } from './chunk';
import { type Boundaries, BoundaryLevel } from './text-boundaries';

export interface PackOptions {
  readonly tokenizer: Tokenizer;
  readonly maxTokens: number;
  readonly overlapTokens: number;
  readonly boundaries: Boundaries;
  /** Only chunk this part of the text (a markdown section); offsets stay relative to the whole text. */
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly headings?: readonly string[] | undefined;
}

/** A chunk ending at a paragraph or sentence is preferred while it is at least this full. */
const MIN_FILL = 0.5;
/**
 * No chunk of `maxTokens` tokens is longer than `maxTokens * MAX_CHARACTERS_PER_TOKEN` characters in any
 * real text, so boundaries are only searched that far: counting stays proportional to the chunk, not to
 * the rest of the document (a 10 MB document would otherwise be quadratic).
 */
const MAX_CHARACTERS_PER_TOKEN = 32;
const SPACE = /\s/;

/** Largest index in [low, high] for which `fits` holds, assuming it holds for a prefix of the range; -1 if none. */
function lastFitting(low: number, high: number, fits: (index: number) => boolean): number {
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (fits(middle)) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Smallest index in [low, high] for which `fits` holds, assuming it holds for a suffix of the range; -1 if none. */
function firstFitting(low: number, high: number, fits: (index: number) => boolean): number {
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (fits(middle)) {
      found = middle;
      high = middle - 1;
    } else low = middle + 1;
  }
  return found;
}

/** First index in the sorted array whose value is greater than `value`. */
function upperBound(values: Int32Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Greedy packing of a text into chunks of at most `maxTokens`, ending at the best boundary that fits
 * (paragraph, then sentence, then word, then a token cut inside an over-long word), each chunk starting
 * with the end of the previous one (`overlapTokens`, sentence-aligned when a sentence fits in it). Every
 * chunk is measured with the tokenizer after it is cut, so the maximum holds even where BPE merges across
 * the joins; every step advances, so the loop always ends.
 */
export function packChunks(text: string, options: PackOptions): TextChunk[] {
  const { tokenizer, maxTokens, overlapTokens, boundaries } = options;
  const rangeStart = options.start ?? 0;
  const rangeEnd = options.end ?? text.length;
  const { positions, levels } = boundaries;
  const count = (from: number, to: number) => tokenizer.count(text.slice(from, to));
  const skipSpace = (position: number) => {
    while (position < rangeEnd && SPACE.test(text[position]!)) position++;
    return position;
  };
  const trimEnd = (position: number, floor: number) => {
    while (position > floor && SPACE.test(text[position - 1]!)) position--;
    return position;
  };

  /** Where a chunk starting at `start` ends: it must reach past `mustPass` (the previous chunk's end). */
  function chunkEnd(start: number, mustPass: number): number {
    const windowEnd = Math.min(rangeEnd, start + maxTokens * MAX_CHARACTERS_PER_TOKEN);
    if (windowEnd === rangeEnd && count(start, rangeEnd) <= maxTokens) return rangeEnd;
    // The chunk must hold at least one non-space character past the previous chunk's end.
    const firstNew = skipSpace(Math.max(start, mustPass));
    const first = upperBound(positions, firstNew);
    const last = upperBound(positions, windowEnd - 1) - 1;
    const fit = lastFitting(first, last, (index) => count(start, positions[index]!) <= maxTokens);
    if (fit !== -1) {
      for (const level of [BoundaryLevel.Paragraph, BoundaryLevel.Sentence]) {
        for (let index = fit; index >= first; index--) {
          if (levels[index]! < level) continue;
          if (count(start, positions[index]!) >= MIN_FILL * maxTokens) return positions[index]!;
          break;
        }
      }
      if (count(start, positions[fit]!) >= MIN_FILL * maxTokens) return positions[fit]!;
    }
    // Nothing fits up to a boundary, or only a sliver does before an enormous word (a URL, base64): cut by tokens.
    let end = start + tokenizer.truncate(text.slice(start, windowEnd), maxTokens).length;
    if (end < rangeEnd && isLowSurrogate(text, end)) end--;
    return Math.max(end, Math.min(rangeEnd, firstNew + 1), start + 1);
  }

  /** Where the next chunk starts so that it repeats at most `overlapTokens` of [start, end). */
  function nextStart(start: number, end: number): number {
    if (overlapTokens === 0) return end;
    const first = upperBound(positions, start);
    const last = upperBound(positions, end - 1) - 1;
    const tailFits = (position: number) => count(position, end) <= overlapTokens;
    // The smallest sentence boundary whose tail fits gives the longest whole-sentence overlap.
    for (let index = first; index <= last; index++) {
      if (levels[index]! >= BoundaryLevel.Sentence && tailFits(positions[index]!)) return positions[index]!;
    }
    const word = firstFitting(first, last, (index) => tailFits(positions[index]!));
    if (word !== -1) return positions[word]!;
    let character = firstFitting(start + 1, end - 1, tailFits);
    if (character !== -1 && isLowSurrogate(text, character)) character++;
    return character === -1 ? end : character;
  }

  const chunks: TextChunk[] = [];
  let start = skipSpace(rangeStart);
  let previousEnd = start;
  while (start < rangeEnd) {
    const end = chunkEnd(start, previousEnd);
    const trimmed = trimEnd(end, start);
    if (trimmed > start) {
      const chunkText = text.slice(start, trimmed);
      chunks.push({
        text: chunkText,
        start,
        end: trimmed,
        tokens: tokenizer.count(chunkText),
        ...(options.headings ? { headings: options.headings } : {}),
      });
    }
    if (skipSpace(end) >= rangeEnd) break;
    const next = skipSpace(nextStart(start, trimmed));
    previousEnd = trimmed;
    // Progress guard: the next chunk starts after this one did.
    start = next > start ? next : skipSpace(end);
  }
  return chunks;
}
