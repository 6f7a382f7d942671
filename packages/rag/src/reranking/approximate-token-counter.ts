import type { TokenCounter } from '../expansion/strategy-option-schemas';

/** English prose averages about four characters per token in the GPT and Claude encodings. */
const CHARACTERS_PER_TOKEN = 4;

/**
 * A token estimate for budgets when no tokenizer is given: no tables to load, and the same for every
 * model. It undercounts for code and for languages without spaces; pass the model's tokenizer when the
 * budget must be exact.
 */
export const approximateTokenCounter: TokenCounter = {
  count: (text) => Math.ceil(text.length / CHARACTERS_PER_TOKEN),
  truncate(text, maxTokens) {
    const limit = Math.max(0, Math.floor(maxTokens)) * CHARACTERS_PER_TOKEN;
    if (text.length <= limit) return text;
    const cut = text.slice(0, limit);
    // End on a word boundary when one is near, so the model does not read half a word.
    const lastSpace = cut.search(/\s\S*$/u);
    return lastSpace > limit * 0.8 ? cut.slice(0, lastSpace) : cut;
  },
};
