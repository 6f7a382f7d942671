import type { Tokenizer } from '@neptune/core';

/** Tokens of a chat request as OpenAI counts them: each content, 3 per message, 3 for the reply (as @neptune/context does). */
export function chatTokens(messages: ReadonlyArray<{ content: string }>, tokenizer: Tokenizer): number {
  return messages.reduce((total, message) => total + tokenizer.count(message.content) + 3, 3);
}
