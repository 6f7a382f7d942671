import type { Tokenizer } from '../contracts/tokenizer';
import { ConfigurationError, describeValue } from '../errors';
import { bpeTokenizer } from './bpe-tokenizer';
import { loadEncoding } from './load-encoding';
import { isTokenizerEncoding, type TokenizerEncoding, tokenizerEncodings } from './tokenizer-encoding';

/** Options of `createTokenizer`. */
export interface CreateTokenizerOptions {
  /** `o200k_base` for GPT-4o, GPT-4.1, GPT-5 and the o-series; `cl100k_base` for GPT-4, GPT-3.5, embeddings. */
  readonly encoding: TokenizerEncoding;
}

const tokenizers = new Map<TokenizerEncoding, Promise<Tokenizer>>();

/**
 * A tokenizer for one encoding. Asynchronous only the first time: the encoding's tables (about 70-140 ms
 * to parse) are loaded on demand, so importing `@neptune/core/tokenizer` costs almost nothing and a
 * process never loads an encoding it does not use. Every method of the tokenizer is synchronous.
 * Calls with the same encoding share one tokenizer.
 */
export async function createTokenizer(options: CreateTokenizerOptions): Promise<Tokenizer> {
  const encoding = (options as Partial<CreateTokenizerOptions> | undefined)?.encoding;
  if (!isTokenizerEncoding(encoding)) {
    throw new ConfigurationError({
      message: `Invalid tokenizer options: encoding must be one of ${tokenizerEncodings.join(', ')} (received ${describeValue(encoding)}).`,
      details: { what: 'tokenizer options', optionName: 'encoding' },
    });
  }
  let tokenizer = tokenizers.get(encoding);
  if (tokenizer === undefined) {
    tokenizer = loadEncoding(encoding).then((loaded) => bpeTokenizer(encoding, loaded));
    // A failed load is not cached; `loadEncoding` has already forgotten it.
    tokenizer.catch(() => tokenizers.delete(encoding));
    tokenizers.set(encoding, tokenizer);
  }
  return tokenizer;
}
