import { checkArgument } from '../validation';

const encoder = new TextEncoder();

/**
 * A cheap upper estimate of a text's token count: one token per three UTF-8 bytes. Real BPE encodings
 * average about four bytes per token on English and fewer on code and other scripts, so this errs high,
 * which is the safe side for staying under request limits. Pass a real tokenizer's count for precision.
 */
export function estimateTokens(text: string): number {
  checkArgument(typeof text === 'string', 'estimateTokens: text', 'a string', text);
  return Math.ceil(encoder.encode(text).length / 3);
}
