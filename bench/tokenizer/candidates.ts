import type { TokenizerEncoding } from '@neptune/core/tokenizer';

export interface CountingTokenizer {
  count(text: string): number;
  dispose?(): void;
}

export interface TokenizerCandidate {
  readonly name: string;
  /** The npm package whose install size and run time (JS or WASM) are reported. */
  readonly packageName: string;
  /** Files, inside the package, that one encoding needs at run time: what a bundle has to carry. */
  encodingFiles(encoding: TokenizerEncoding): string[];
  load(encoding: TokenizerEncoding): Promise<CountingTokenizer>;
  /**
   * ES module code for a fresh `node` process: `importCode` loads the library (timed as the import),
   * `createCode` must define `count(text)` (timed with the first count).
   */
  coldLoad(encoding: TokenizerEncoding): { importCode: string; createCode: string };
  /** Empties caches through which a text seen before counts faster than a new one. */
  resetCaches?(encoding: TokenizerEncoding): Promise<void>;
}

// Every candidate counts text as plain text (special-token strings are ordinary characters), so that
// the counts are comparable and match what `@neptune/core/tokenizer` does.

async function clearGptTokenizerCache(encoding: TokenizerEncoding): Promise<void> {
  const module = (await import(`gpt-tokenizer/encoding/${encoding}`)) as { clearMergeCache(): void };
  module.clearMergeCache();
}

export const tiktokenCandidate: TokenizerCandidate = {
  name: 'tiktoken',
  packageName: 'tiktoken',
  // The default entry embeds every encoding in one WASM module.
  encodingFiles: () => ['tiktoken_bg.wasm'],
  async load(encoding) {
    const { get_encoding } = await import('tiktoken');
    const encoder = get_encoding(encoding);
    return { count: (text) => encoder.encode_ordinary(text).length, dispose: () => encoder.free() };
  },
  coldLoad: (encoding) => ({
    importCode: `const { get_encoding } = await import('tiktoken');`,
    createCode: `const encoder = get_encoding('${encoding}'); const count = (text) => encoder.encode_ordinary(text).length;`,
  }),
};

export const jsTiktokenCandidate: TokenizerCandidate = {
  name: 'js-tiktoken',
  packageName: 'js-tiktoken',
  encodingFiles: (encoding) => [`dist/ranks/${encoding}.js`],
  async load(encoding) {
    // The lite entry with one rank file, rather than the main entry that bundles every encoding.
    const { Tiktoken } = await import('js-tiktoken/lite');
    const ranks = (
      (await import(`js-tiktoken/ranks/${encoding}`)) as {
        default: ConstructorParameters<typeof Tiktoken>[0];
      }
    ).default;
    const encoder = new Tiktoken(ranks);
    return { count: (text) => encoder.encode(text, [], []).length };
  },
  coldLoad: (encoding) => ({
    importCode: `const { Tiktoken } = await import('js-tiktoken/lite'); const { default: ranks } = await import('js-tiktoken/ranks/${encoding}');`,
    createCode: `const encoder = new Tiktoken(ranks); const count = (text) => encoder.encode(text, [], []).length;`,
  }),
};

export const gptTokenizerCandidate: TokenizerCandidate = {
  name: 'gpt-tokenizer',
  packageName: 'gpt-tokenizer',
  encodingFiles: (encoding) => [`esm/bpeRanks/${encoding}.js`],
  async load(encoding) {
    const encoder = (
      (await import(`gpt-tokenizer/encoding/${encoding}`)) as {
        default: { countTokens(text: string, options: object): number };
      }
    ).default;
    const plainText = { disallowedSpecial: new Set<string>() };
    return { count: (text) => encoder.countTokens(text, plainText) };
  },
  coldLoad: (encoding) => ({
    importCode: `const { default: encoder } = await import('gpt-tokenizer/encoding/${encoding}');`,
    createCode: `const plainText = { disallowedSpecial: new Set() }; const count = (text) => encoder.countTokens(text, plainText);`,
  }),
  resetCaches: clearGptTokenizerCache,
};

export const neptuneCandidate: TokenizerCandidate = {
  name: '@neptune/core/tokenizer',
  packageName: 'gpt-tokenizer',
  encodingFiles: gptTokenizerCandidate.encodingFiles,
  async load(encoding) {
    const { createTokenizer } = await import('@neptune/core/tokenizer');
    const tokenizer = await createTokenizer({ encoding });
    return { count: (text) => tokenizer.count(text) };
  },
  // Runs the built package (dist), as an application would; `pnpm --filter @neptune/core build` first.
  coldLoad: (encoding) => ({
    importCode: `const { createTokenizer } = await import('@neptune/core/tokenizer');`,
    createCode: `const tokenizer = await createTokenizer({ encoding: '${encoding}' }); const count = (text) => tokenizer.count(text);`,
  }),
  // Shares gpt-tokenizer's module, and so its merge cache.
  resetCaches: clearGptTokenizerCache,
};

/** tiktoken first: it is the reference the others' counts are checked against. */
export const tokenizerCandidates: readonly TokenizerCandidate[] = [
  tiktokenCandidate,
  jsTiktokenCandidate,
  gptTokenizerCandidate,
  neptuneCandidate,
];
