import type { LanguageModelV3CallOptions, LanguageModelV3Prompt, SharedV3Warning } from '@ai-sdk/provider';
import type { ChatMessage, FinishReason, TokenUsage } from '../contracts/chat-model';
import { ValidationError } from '../errors';

type PromptMessage = LanguageModelV3Prompt[number];

function textOf(message: PromptMessage, warnings: SharedV3Warning[]): string {
  if (typeof message.content === 'string') return message.content;
  const texts: string[] = [];
  for (const part of message.content) {
    if (part.type === 'text') texts.push(part.text);
    else
      warnings.push({
        type: 'unsupported',
        feature: `${part.type} parts`,
        details: `${message.role} message`,
      });
  }
  return texts.join('\n');
}

/**
 * An AI SDK prompt as Neptune chat messages. Text is kept; files, reasoning and tool parts are not
 * (a Neptune `ChatModel` has no tools) and each is reported as a warning, as AI SDK providers do.
 */
export function fromAiSdkPrompt(prompt: LanguageModelV3Prompt): {
  messages: ChatMessage[];
  warnings: SharedV3Warning[];
} {
  const warnings: SharedV3Warning[] = [];
  const messages: ChatMessage[] = [];
  for (const message of prompt) {
    if (message.role === 'tool') {
      warnings.push({ type: 'unsupported', feature: 'tool messages' });
      continue;
    }
    const content = textOf(message, warnings);
    if (content === '' && message.role !== 'user') continue;
    messages.push({ role: message.role, content });
  }
  return { messages, warnings };
}

/** Call options a Neptune `ChatModel` does not take, as warnings. */
export function unsupportedOptions(options: LanguageModelV3CallOptions): SharedV3Warning[] {
  const warnings: SharedV3Warning[] = [];
  if (options.tools !== undefined && options.tools.length > 0)
    warnings.push({ type: 'unsupported', feature: 'tools' });
  if (options.responseFormat?.type === 'json')
    warnings.push({
      type: 'unsupported',
      feature: 'responseFormat',
      details: 'JSON output is not enforced; use generateObject on the Neptune model for validated output.',
    });
  for (const name of [
    'topP',
    'topK',
    'presencePenalty',
    'frequencyPenalty',
    'seed',
    'stopSequences',
  ] as const) {
    if (options[name] !== undefined) warnings.push({ type: 'unsupported', feature: name });
  }
  return warnings;
}

/** Neptune chat messages as an AI SDK prompt. */
export function toAiSdkPrompt(messages: readonly ChatMessage[]): LanguageModelV3Prompt {
  if (messages.length === 0) {
    throw new ValidationError({
      message: 'The chat request has no messages: pass at least one user message.',
    });
  }
  return messages.map((message): PromptMessage => {
    if (message.role === 'system') return { role: 'system', content: message.content };
    return { role: message.role, content: [{ type: 'text', text: message.content }] };
  });
}

export function toAiSdkUsage(usage: TokenUsage) {
  return {
    inputTokens: {
      total: usage.inputTokens,
      noCache:
        usage.cachedInputTokens === undefined
          ? usage.inputTokens
          : usage.inputTokens - usage.cachedInputTokens,
      cacheRead: usage.cachedInputTokens,
      cacheWrite: undefined,
    },
    outputTokens: { total: usage.outputTokens, text: usage.outputTokens, reasoning: undefined },
  };
}

export function fromAiSdkUsage(usage: {
  inputTokens: { total: number | undefined; cacheRead: number | undefined };
  outputTokens: { total: number | undefined };
}): TokenUsage {
  return {
    inputTokens: usage.inputTokens.total ?? 0,
    outputTokens: usage.outputTokens.total ?? 0,
    cachedInputTokens: usage.inputTokens.cacheRead,
  };
}

export function toAiSdkFinishReason(reason: FinishReason) {
  return { unified: reason, raw: reason } as const;
}

export function fromAiSdkFinishReason(reason: { unified: string }): FinishReason {
  switch (reason.unified) {
    case 'stop':
    case 'length':
    case 'content-filter':
    case 'error':
      return reason.unified;
    default:
      return 'other';
  }
}
