import { describeValue, ValidationError } from '../errors';
import { truncateByCounting } from '../text/truncate-by-counting';

export interface EmbeddingBatchLimits {
  /** Inputs per request (OpenAI allows 2048). */
  readonly maxInputsPerRequest: number;
  /** Tokens per request, summed over its inputs (OpenAI allows 300,000). */
  readonly maxTokensPerRequest: number;
  /** Tokens per input (8191 for OpenAI's embedding models). */
  readonly maxTokensPerInput: number;
  /** Cut over-long inputs to `maxTokensPerInput` instead of refusing them. */
  readonly truncate: boolean;
  readonly countTokens: (text: string) => number;
}

export interface EmbeddingBatch {
  /** Index of the batch's first text in the caller's array. */
  readonly start: number;
  readonly texts: readonly string[];
  /** Estimated tokens, used when the response reports no usage. */
  readonly tokens: number;
}

/**
 * Checks every text and groups consecutive texts into requests that respect both the input-count and the
 * token limit. Refuses empty texts and, unless `truncate` is set, texts over the per-input limit, naming
 * the index so the caller can find the offending text.
 */
export function planEmbeddingBatches(
  texts: readonly unknown[],
  limits: EmbeddingBatchLimits,
): EmbeddingBatch[] {
  const maxTokensPerInput = Math.min(limits.maxTokensPerInput, limits.maxTokensPerRequest);
  const batches: EmbeddingBatch[] = [];
  let current: { start: number; texts: string[]; tokens: number } | undefined;
  for (const [index, value] of texts.entries()) {
    const { text, tokens } = checkInput(value, index, maxTokensPerInput, limits);
    const full =
      current !== undefined &&
      (current.texts.length >= limits.maxInputsPerRequest ||
        current.tokens + tokens > limits.maxTokensPerRequest);
    if (current === undefined || full) {
      current = { start: index, texts: [], tokens: 0 };
      batches.push(current);
    }
    current.texts.push(text);
    current.tokens += tokens;
  }
  return batches;
}

function checkInput(
  value: unknown,
  index: number,
  maxTokensPerInput: number,
  limits: EmbeddingBatchLimits,
): { text: string; tokens: number } {
  if (typeof value !== 'string') {
    throw new ValidationError({
      message: `texts[${index}] is not a string (received ${describeValue(value)}). Pass an array of strings to embed().`,
      details: { index },
    });
  }
  if (value.trim() === '') {
    throw new ValidationError({
      message: `texts[${index}] is empty or whitespace only; it has no meaning to embed. Filter such texts out before calling embed().`,
      details: { index },
    });
  }
  const tokens = limits.countTokens(value);
  if (tokens <= maxTokensPerInput) return { text: value, tokens };
  if (!limits.truncate) {
    throw new ValidationError({
      message: `texts[${index}] is about ${tokens} tokens, over the limit of ${maxTokensPerInput} per input. Split it into smaller chunks, or create the embedder with \`truncate: true\` to cut it.`,
      details: { index, tokens, maxTokensPerInput },
    });
  }
  const text = truncateByCounting(value, maxTokensPerInput, limits.countTokens);
  return { text, tokens: limits.countTokens(text) };
}
