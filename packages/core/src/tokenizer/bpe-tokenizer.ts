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

/** A `Tokenizer` over one of gpt-tokenizer's encodings. Stateless apart from gpt-tokenizer's merge cache. */
export function bpeTokenizer(encoding: TokenizerEncoding, loaded: LoadedEncoding): Tokenizer {
  const { encoder, ranks, splitPattern } = loaded;
  // Every path into the encoder goes through `linearSegments`, so no piece BPE merges is over-long.
  const count = (text: string) => {
    let total = 0;
    for (const segment of linearSegments(text, splitPattern))
      total += encoder.countTokens(segment, PLAIN_TEXT);
    return total;
  };
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
