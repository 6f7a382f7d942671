/** Counts and cuts text in a model's tokens, so budgets are in the unit the model bills and limits. */
export interface Tokenizer {
  /** The encoding, e.g. `o200k_base` (GPT-4o family) or `cl100k_base` (GPT-4, text-embedding-3). */
  readonly encoding: string;
  count(text: string): number;
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
  /** The longest prefix of `text` that fits in `maxTokens` tokens (a positive integer), never more. */
  truncate(text: string, maxTokens: number): string;
}
