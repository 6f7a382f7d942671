import type { ChatModel } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';

/**
 * OpenAI's chat model when `OPENAI_API_KEY` is set, else the offline extractive model, which answers by
 * quoting the numbered passages of the prompt with their [n] markers. Loaded on demand, so the offline
 * path never imports the OpenAI client.
 */
export async function chooseChatModel(): Promise<ChatModel> {
  if (!process.env.OPENAI_API_KEY) return extractiveChatModel();
  const { openaiChatModel } = await import('@neptune/core/openai');
  return openaiChatModel();
}
