import type { TokenCounter } from '../expansion/strategy-option-schemas';

export interface FittedPassage {
  /** Position in the input. */
  readonly index: number;
  readonly text: string;
}

export interface FitPassagesOptions {
  /** Tokens all passages may use together. */
  readonly maxTokens: number;
  readonly tokenizer: TokenCounter;
  /** Tokens each passage costs beyond its text (its number, separators). */
  readonly overheadTokensPerPassage: number;
  /** Below this, a passage says too little to be judged; passages that cannot get it are left out. */
  readonly minTokensPerPassage: number;
}

/**
 * Fits passages into a token budget by water-filling: passages shorter than an equal share keep all their
 * text, and what they leave is shared among the longer ones, which are cut to the same length. When even
 * `minTokensPerPassage` each does not fit, the last passages (the previous stage's weakest) are left out.
 */
export function fitPassagesToBudget(texts: readonly string[], options: FitPassagesOptions): FittedPassage[] {
  const perPassage = options.minTokensPerPassage + options.overheadTokensPerPassage;
  const included = Math.min(texts.length, Math.floor(options.maxTokens / perPassage));
  if (included <= 0) return [];
  const counts = texts.slice(0, included).map((text) => options.tokenizer.count(text));
  let remaining = options.maxTokens - included * options.overheadTokensPerPassage;
  let cap = Number.POSITIVE_INFINITY;
  const ascending = [...counts].sort((a, b) => a - b);
  for (const [position, count] of ascending.entries()) {
    const share = Math.floor(remaining / (included - position));
    if (count > share) {
      cap = share;
      break;
    }
    remaining -= count;
  }
  return counts.map((count, index) => {
    const text = texts[index] ?? '';
    return { index, text: count > cap ? options.tokenizer.truncate(text, cap) : text };
  });
}
