import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { ChatRequest } from '../contracts/chat-model';
import { parseInput } from '../validation';

const chatRequestSchema = z.object({
  messages: z
    .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }))
    .min(1, 'at least one message is needed'),
  maxOutputTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
});

/** The request body fields every chat call shares, from a validated `ChatRequest`. */
export function toChatCompletionParams(request: ChatRequest, model: string): ChatCompletionCreateParamsBase {
  const checked = parseInput(chatRequestSchema, request, 'chat request');
  return {
    model,
    messages: checked.messages.map((message) => ({ role: message.role, content: message.content })),
    ...(checked.maxOutputTokens !== undefined ? { max_completion_tokens: checked.maxOutputTokens } : {}),
    ...(checked.temperature !== undefined ? { temperature: checked.temperature } : {}),
  };
}
