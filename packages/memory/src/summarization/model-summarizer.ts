import {
  type ChatModel,
  ConfigurationError,
  parseInput,
  type Summarizer,
  type Tokenizer,
  throwIfAborted,
} from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import { z } from 'zod';
import { summarizerTexts } from './summarizer-input';

/** Options of `modelSummarizer`: the chat model that summarizes, and the tokenizer for its budget. */
export interface ModelSummarizerOptions {
  readonly model: ChatModel;
  /** Cuts an answer that runs over the budget. Default: `o200k_base`, loaded on first use. */
  readonly tokenizer?: Tokenizer | undefined;
}

const INSTRUCTIONS = [
  'You maintain the running summary of a conversation between a user and an assistant.',
  'Fold the new messages into the previous summary. Keep names, figures, dates, decisions, preferences and open questions;',
  'when something changed, keep only the latest value and say that it changed. Drop greetings and chit-chat.',
  'Write plain sentences in the third person, no headings, no preamble.',
].join(' ');

/** A `Summarizer` backed by a chat model: one call per fold, the answer held to `maxTokens`. */
export function modelSummarizer(options: ModelSummarizerOptions): Summarizer {
  if (typeof options?.model?.generate !== 'function') {
    throw new ConfigurationError({
      message:
        'modelSummarizer needs `model`: a ChatModel, e.g. openaiChatModel() from @neptune/core/openai.',
    });
  }
  const { model } = options;
  let tokenizer: Promise<Tokenizer> | undefined = options.tokenizer
    ? Promise.resolve(options.tokenizer)
    : undefined;
  return {
    name: `model:${model.provider}/${model.model}`,
    async summarize(input, callOptions) {
      const maxTokens = parseInput(z.number().int().min(1), callOptions?.maxTokens, 'maxTokens');
      throwIfAborted(callOptions.signal, 'Summarization');
      const transcript = summarizerTexts(input)
        .map(({ role, text }) => (role === undefined ? text : `${role}: ${text}`))
        .join('\n');
      const result = await model.generate({
        messages: [
          { role: 'system', content: `${INSTRUCTIONS} Use at most ${maxTokens} tokens.` },
          {
            role: 'user',
            content: `Previous summary:\n${callOptions.previousSummary?.trim() || '(none)'}\n\nNew messages:\n${transcript}`,
          },
        ],
        maxOutputTokens: maxTokens,
        temperature: 0,
        signal: callOptions.signal,
      });
      tokenizer ??= createTokenizer({ encoding: 'o200k_base' });
      return (await tokenizer).truncate(result.text.trim(), maxTokens);
    },
  };
}
