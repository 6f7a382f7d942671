import type { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import { ConfigurationError } from '../errors';
import type { TokenizerEncoding } from './tokenizer-encoding';

/** One encoding's tables, as gpt-tokenizer builds them. */
export interface LoadedEncoding {
  readonly encoder: GptEncoding;
  /** Indexed by token id: the token's text when its bytes are valid UTF-8 on their own, else its bytes. */
  readonly ranks: ReadonlyArray<string | readonly number[] | undefined>;
  /** The encoding's pre-tokenizer pattern (global, Unicode), the one the encoder splits text with. */
  readonly splitPattern: RegExp;
}

// One `import()` with a literal specifier per encoding, so that bundlers emit each encoding as its own
// chunk and a process parses only the tables it uses (o200k_base alone is 2.4 MB of JavaScript).
// The rank table is the same module instance the encoder was built from, so it costs no extra memory.
const loaders: Record<TokenizerEncoding, () => Promise<LoadedEncoding>> = {
  o200k_base: async () => {
    const [encoder, ranks, patterns] = await Promise.all([
      import('gpt-tokenizer/encoding/o200k_base'),
      import('gpt-tokenizer/bpeRanks/o200k_base'),
      import('gpt-tokenizer/encodingParams/constants'),
    ]);
    return { encoder: encoder.default, ranks: ranks.default, splitPattern: patterns.O200K_TOKEN_SPLIT_REGEX };
  },
  cl100k_base: async () => {
    const [encoder, ranks, patterns] = await Promise.all([
      import('gpt-tokenizer/encoding/cl100k_base'),
      import('gpt-tokenizer/bpeRanks/cl100k_base'),
      import('gpt-tokenizer/encodingParams/constants'),
    ]);
    return {
      encoder: encoder.default,
      ranks: ranks.default,
      splitPattern: patterns.CL100K_TOKEN_SPLIT_REGEX,
    };
  },
};

const loading = new Map<TokenizerEncoding, Promise<LoadedEncoding>>();

/** Loads an encoding's tables once per process; concurrent callers share the same load. */
export function loadEncoding(encoding: TokenizerEncoding): Promise<LoadedEncoding> {
  let pending = loading.get(encoding);
  if (pending === undefined) {
    pending = loaders[encoding]().catch((error: unknown) => {
      // Forgotten on failure (a chunk that could not be fetched, say), so that the next call retries.
      loading.delete(encoding);
      throw new ConfigurationError({
        message: `Could not load the ${encoding} tokenizer tables from gpt-tokenizer: ${String(error)}. Check that gpt-tokenizer is installed and bundled.`,
        cause: error,
        details: { encoding },
      });
    });
    loading.set(encoding, pending);
  }
  return pending;
}
