import type { ChatMessage, Tokenizer } from '@neptune/core';

/** Tokens each message adds around its content in OpenAI's chat format (role and delimiters). */
export const MESSAGE_OVERHEAD_TOKENS = 3;
/** Tokens that prime the reply (`<|start|>assistant<|message|>`), counted once per request. */
export const REPLY_PRIMING_TOKENS = 3;

/**
 * The input tokens a chat request with these messages costs: each content, plus 3 per message and 3 for
 * the reply, as OpenAI counts them for its GPT-4o and later models. This is what `assembleContext`
 * keeps under `maxTokens`.
 */
export function countChatTokens(messages: readonly ChatMessage[], tokenizer: Tokenizer): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of messages) total += tokenizer.count(message.content) + MESSAGE_OVERHEAD_TOKENS;
  return total;
}
