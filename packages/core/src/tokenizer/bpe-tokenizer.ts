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

/** A `Tokenizer` over one of gpt-tokenizer's encodings; its only state is a cache of line counts. */
export function bpeTokenizer(encoding: TokenizerEncoding, loaded: LoadedEncoding): Tokenizer {
  const { encoder, ranks, splitPattern } = loaded;
  // Every path into the encoder goes through `linearSegments`, so no piece BPE merges is over-long.
  const countLines = lineCountCache((line) => {
    let total = 0;
    for (const segment of linearSegments(line, splitPattern))
      total += encoder.countTokens(segment, PLAIN_TEXT);
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
