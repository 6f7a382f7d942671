import type { ContextBudget } from '@neptune/context';
import type { ChatModel } from '@neptune/core';
import type { RetrieveOptions } from '@neptune/rag';
import { z } from 'zod';
import type { QuestionRewriter } from '../follow-up';

/** An object with the named method: the check for the parts an app passes in (models, stores...). */
export const objectWith = <T>(method: string, what: string) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Record<string, unknown>)[method] === 'function',
    `must be ${what} (an object with a ${method}() method)`,
  );

/**
 * A plain object (not an array) of options that the part it goes to checks itself: retrieval options are
 * checked by the knowledge base, the budget by `assembleContext`.
 */
const optionsObject = <T>() =>
  z.custom<T>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be an object',
  );

/**
 * The assistant's options a variant of an experiment may change: the model and how the answer is built,
 * never the stores or the scope. Kept apart from the rest of `AssistantOptions` so that the experiment's
 * schema can refer to them without referring back to itself.
 */
export const variantOptionsShape = {
  /** Answers the question. The one part without a default: `openaiChatModel()`, `extractiveChatModel()`, `fromLanguageModel(...)`. */
  model: objectWith<ChatModel>('stream', 'a ChatModel'),
  /**
   * Answers when `model` fails before its first token, so the user gets the cited passages rather than
   * an error (reported as degraded `model`). Default: the offline `extractiveChatModel()`; `false` for none.
   */
  fallbackModel: z.union([objectWith<ChatModel>('stream', 'a ChatModel'), z.literal(false)]).optional(),
  /** Options for every retrieval. Default `{ topK: 4, minRelativeScore: 0.5 }`. */
  retrieve: optionsObject<Omit<RetrieveOptions, 'signal' | 'requestId'>>().optional(),
  /** The prompt's token budget and its shares. Default `{ maxTokens: 6_000 }`. */
  budget: optionsObject<ContextBudget>().optional(),
  /**
   * Follow-up questions: `auto` (default) rewrites with the model unless it is the offline one, else with
   * the heuristic; `heuristic`; `model`; `false` to search the question as asked; or your own rewriter.
   */
  rewrite: z
    .union([
      z.enum(['auto', 'heuristic', 'model']),
      z.literal(false),
      objectWith<QuestionRewriter>('rewrite', 'a QuestionRewriter'),
    ])
    .default('auto'),
  /** The start of the system message. Default: `assembleContext`'s (use the context, cite [n]). */
  instructions: z.string().max(20_000).optional(),
  /** Tokens of conversation recalled for the prompt. Default 1,200. */
  recallTokens: z.number().int().min(1).max(1_000_000).default(1_200),
  /** Passed to the model: the most tokens it may write. */
  maxOutputTokens: z.number().int().min(1).optional(),
  /** Passed to the model: its sampling temperature, 0 to 2. */
  temperature: z.number().min(0).max(2).optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const variantOptionsSchema: z.ZodObject<typeof variantOptionsShape> = z.object(variantOptionsShape);

/** What a variant may change: the model and how the answer is built, never the stores or the scope. */
export type VariantOptions = Partial<z.input<typeof variantOptionsSchema>>;
