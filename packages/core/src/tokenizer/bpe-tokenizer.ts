import type { EncodeOptions } from 'gpt-tokenizer/GptEncoding';
import type { Tokenizer } from '../contracts/tokenizer';
import { assertMaxTokens, assertText, assertTokenArray } from './assert-tokenizer-input';
import { decodeTokens } from './decode-tokens';
import { linearSegments } from './linear-segments';
import type { LoadedEncoding } from './load-encoding';
import type { TokenizerEncoding } from './tokenizer-encoding';
import { type TruncationEncoder, truncateToTokens } from './truncate-to-tokens';
import { utf8ByteLength } from './utf8';

// Text is counted as text: `<|endoftext|>` in a user's document is 7 ordinary tokens, never the special
// token (which would let a document end a prompt early), and never an error (gpt-tokenizer's default).
const PLAIN_TEXT: EncodeOptions = Object.freeze({ disallowedSpecial: new Set<string>() });

/**
 * A newline followed by a letter or digit: no pre-tokenizer piece of cl100k_base or o200k_base spans it
 * (a piece that holds a newline is whitespace, or punctuation that newlines may end; a word or number
 * never starts with one), and a piece cut there matches as it does in the whole text. So a text's count
 * is the sum of its lines' counts, and a line seen before (a context item, a passage, a remembered turn
 * in this request's prompt and the last one's) is counted from the cache.
 */
const LINE_BOUNDARY = /\n(?=[\p{L}\p{N}])/gu;
/** Lines longer than this are counted without the cache. */
const MAX_CACHED_LINE_LENGTH = 4_096;
/** Lines kept per tokenizer; past it, the older half is dropped. */
const MAX_CACHED_LINES = 16_384;

/** The count of each line seen, per tokenizer: prompts repeat most of their lines from request to request. */
function lineCountCache(countLine: (line: string) => number): (text: string) => number {
  const counts = new Map<string, number>();
  const countCached = (line: string) => {
    if (line.length > MAX_CACHED_LINE_LENGTH) return countLine(line);
    let count = counts.get(line);
    if (count === undefined) {
      count = countLine(line);
      if (counts.size >= MAX_CACHED_LINES) {
        let drop = counts.size / 2;
        for (const key of counts.keys()) {
          if (drop-- <= 0) break;
          counts.delete(key);
        }
      }
      counts.set(line, count);
    }
    return count;
  };
  return (text) => {
    let total = 0;
    let start = 0;
    for (const match of text.matchAll(LINE_BOUNDARY)) {
      total += countCached(text.slice(start, match.index + 1));
      start = match.index + 1;
    }
    return total + countCached(start === 0 ? text : text.slice(start));
  };
}

/** Pre-tokenizer pieces longer than this are not kept in the piece cache. */
const MAX_CACHED_PIECE_LENGTH = 48;
/** Pieces kept per tokenizer; past it, the older half is dropped. */
const MAX_CACHED_PIECES = 131_072;

/**
 * Counts a segment piece by piece, each distinct piece's count kept. BPE merges within one pre-tokenizer
 * piece only, so a segment's count is the sum of its pieces' counts, which is how gpt-tokenizer counts it
 * too (it splits with the same pattern and encodes each match). Words recur (Zipf), so almost every piece
 * is a cache hit: a text never seen as a whole (a new document's line, a chunk candidate) costs one pass
 * of the split pattern and a map lookup per piece instead of gpt-tokenizer's own least-recently-used
 * merge cache, which was 20 times slower on words outside the vocabulary (names, codes, other languages).
 */
export function pieceCountCache(
  splitPattern: RegExp,
  countWhole: (text: string) => number,
): (segment: string) => number {
  const counts = new Map<string, number>();
  // Anchored at the start: does the pattern, run over the piece alone, find the whole piece as one match?
  const firstPiece = new RegExp(splitPattern.source, `${splitPattern.flags.replace('g', '')}y`);
  /** The piece's count, or -1 when the pattern would split the piece alone differently (then it is not cached). */
  const countPiece = (piece: string) => {
    firstPiece.lastIndex = 0;
    if (firstPiece.exec(piece)?.[0].length !== piece.length) return -1;
    // Counting the piece alone encodes exactly that one piece: its count within any text.
    return countWhole(piece);
  };
  return (segment) => {
    let total = 0;
    for (const match of segment.matchAll(splitPattern)) {
      const piece = match[0];
      let count = counts.get(piece);
      if (count === undefined) {
        if (piece.length > MAX_CACHED_PIECE_LENGTH) count = countWhole(piece);
        else {
          count = countPiece(piece);
          // A piece that its own context shaped (never seen so far): the segment is counted whole.
          if (count === -1) return countWhole(segment);
          if (counts.size >= MAX_CACHED_PIECES) {
            let drop = counts.size / 2;
            for (const key of counts.keys()) {
              if (drop-- <= 0) break;
              counts.delete(key);
            }
          }
          counts.set(piece, count);
        }
      }
      total += count;
    }
    return total;
  };
}

/** A `Tokenizer` over one of gpt-tokenizer's encodings; its only state is caches of line and piece counts. */
export function bpeTokenizer(encoding: TokenizerEncoding, loaded: LoadedEncoding): Tokenizer {
  const { encoder, ranks, splitPattern } = loaded;
  const countSegment = pieceCountCache(splitPattern, (text) => encoder.countTokens(text, PLAIN_TEXT));
  // Every path into the encoder goes through `linearSegments`, so no piece BPE merges is over-long.
  const countLines = lineCountCache((line) => {
    let total = 0;
    for (const segment of linearSegments(line, splitPattern)) total += countSegment(segment);
    return total;
  });
  const count = (text: string) => (text === '' ? 0 : countLines(text));
  const encode = (text: string) => {
    const tokens: number[] = [];
    for (const segment of linearSegments(text, splitPattern)) {
      for (const token of encoder.encode(segment, PLAIN_TEXT)) tokens.push(token);
    }
    return tokens;
  };
  const truncation: TruncationEncoder = {
    count,
    firstTokens(text, limit) {
      const tokens: number[] = [];
      for (const segment of linearSegments(text, splitPattern)) {
        for (const chunk of encoder.encodeGenerator(segment, PLAIN_TEXT)) {
          for (const token of chunk) {
            tokens.push(token);
            if (tokens.length >= limit) return tokens;
          }
        }
      }
      return tokens;
    },
    tokenByteLength(token) {
      const entry = ranks[token];
      return typeof entry === 'string' ? utf8ByteLength(entry) : (entry?.length ?? 0);
    },
  };

  return Object.freeze({
    encoding,
    count(text: string): number {
      assertText(text, 'count');
      return count(text);
    },
    encode(text: string): number[] {
      assertText(text, 'encode');
      return encode(text);
    },
    decode(tokens: readonly number[]): string {
      assertTokenArray(tokens);
      return decodeTokens(tokens, loaded, encoding);
    },
    truncate(text: string, maxTokens: number): string {
      assertText(text, 'truncate');
      assertMaxTokens(maxTokens);
      return truncateToTokens(text, maxTokens, truncation);
    },
  });
}
