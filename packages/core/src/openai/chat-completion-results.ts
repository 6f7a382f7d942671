import type { CompletionUsage } from 'openai/resources/completions';
import type { FinishReason, TokenUsage } from '../contracts/chat-model';

export function toTokenUsage(usage: CompletionUsage | null | undefined): TokenUsage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? undefined,
  };
}

export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    default:
      // `tool_calls` and `function_call` are not part of Neptune's contract.
      return 'other';
  }
}
