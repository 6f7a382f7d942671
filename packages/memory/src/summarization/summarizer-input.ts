import type { ChatMessage } from '@neptune/core';

/** The texts of a summarizer's input: messages as "role: content", plain strings as they are. */
export function summarizerTexts(
  input: readonly ChatMessage[] | readonly string[],
): { role: string | undefined; text: string }[] {
  return input.map((item) =>
    typeof item === 'string' ? { role: undefined, text: item } : { role: item.role, text: item.content },
  );
}
