/** The BPE encodings Neptune can count in: `o200k_base` (GPT-4o, GPT-4.1, GPT-5, o-series) and `cl100k_base`. */
export const tokenizerEncodings = ['o200k_base', 'cl100k_base'] as const;

/** A tiktoken encoding the tokenizer can count with. */
export type TokenizerEncoding = (typeof tokenizerEncodings)[number];

/** True when the value names a tokenizer encoding this package supports. */
export function isTokenizerEncoding(value: unknown): value is TokenizerEncoding {
  return typeof value === 'string' && (tokenizerEncodings as readonly string[]).includes(value);
}
