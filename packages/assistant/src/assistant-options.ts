import type { ContextGatherer } from '@neptune/context';
import {
  type KeyValueStore,
  parseOptions,
  type Scope,
  type Tokenizer,
  telemetryChannelSchema,
} from '@neptune/core';
import type { Memory } from '@neptune/memory';
import type { RetrievalResult, RetrieveOptions } from '@neptune/rag';
import { z } from 'zod';
import { experimentSchema } from './experiments/experiment-options';
import { objectWith, variantOptionsShape } from './experiments/variant-options';
import type { WorkspaceQuota } from './quota/workspace-quota';

/** What the assistant retrieves from: a knowledge base from `createKnowledgeBase`, or any retriever. */
export interface KnowledgeSource {
  retrieve(scope: Scope, query: string, options?: RetrieveOptions): Promise<RetrievalResult>;
}

/** Where app context comes from: a gatherer from `createContextGatherer`, or anything shaped like one. */
export type ContextSourceGatherer = Pick<ContextGatherer, 'gather'>;

/** What the assistant needs of memory: `createMemory()` fits. */
export type ConversationMemory = Pick<Memory, 'recall' | 'remember'>;

const timeout = z.number().int().min(1).max(600_000);

const timeoutsShape = {
  /** App context (every source together; each source has its own timeout too). Default 2,000 ms. */
  context: timeout.default(2_000),
  /** Retrieval, embedding included. Default 3,000 ms. */
  knowledge: timeout.default(3_000),
  /** Conversation recall. Default 2,000 ms. */
  memory: timeout.default(2_000),
  /** The model rewrite of a follow-up question. Default 2,000 ms. */
  rewrite: timeout.default(2_000),
  /** The quota check. Default 1,000 ms; past it the request goes on unchecked (degraded `quota`). */
  quota: timeout.default(1_000),
  /** Until the model's first token; after it the stream runs as long as the model writes. Default 30,000 ms. */
  firstToken: timeout.default(30_000),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const timeoutsSchema: z.ZodObject<typeof timeoutsShape> = z.object(timeoutsShape);

/** Each part's deadline, in ms (see docs/assistant.md, "Degrade, never fail"); a late part is left out. */
export type AssistantTimeouts = z.input<typeof timeoutsSchema>;

const feedbackShape = {
  /** The key-value store for the request ledger and the ratings. Default: in memory. */
  store: objectWith<KeyValueStore>('increment', 'a KeyValueStore').optional(),
  /** How long an answer can be rated, in ms; its ledger entry and rating expire then. Default 30 days. */
  retentionMs: z
    .number()
    .int()
    .min(60_000, 'must be at least a minute (60,000 ms)')
    .max(366 * 86_400_000, 'must be at most a year')
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const feedbackSchema: z.ZodObject<typeof feedbackShape> = z.object(feedbackShape);

/** Where `recordFeedback` keeps the ledger of answered requests and their ratings, and for how long. */
export type FeedbackOptions = z.input<typeof feedbackSchema>;

// Besides the model and how the answer is built (`variantOptionsShape`, what a variant may change).
const assistantOwnOptionsShape = {
  /** Knowledge to retrieve from. Default: an empty in-memory `createKnowledgeBase()`; `false` for none. */
  knowledge: z
    .union([objectWith<KnowledgeSource>('retrieve', 'a knowledge base'), z.literal(false)])
    .optional(),
  /**
   * Whose knowledge a request searches: `workspace` (default: the workspace's shared documents), `user`
   * (the user's own scope), or a function of the request's scope.
   */
  knowledgeScope: z
    .union([z.enum(['workspace', 'user']), z.custom<(scope: Scope) => Scope>((v) => typeof v === 'function')])
    .default('workspace'),
  /** App context sources. Default: none. */
  gatherer: objectWith<ContextSourceGatherer>('gather', 'a context gatherer').optional(),
  /**
   * Conversation memory. Default: an in-memory `createMemory({ consentDefaults: 'opt-in' })`: turns kept,
   * facts extracted only from users who agreed; `false` for none.
   */
  memory: z
    .union([objectWith<ConversationMemory>('recall', 'a memory from createMemory()'), z.literal(false)])
    .optional(),
  /** Counts the prompt. Default: `o200k_base`, loaded on the first request (or pass one loaded at start-up). */
  tokenizer: objectWith<Tokenizer>('count', 'a Tokenizer').optional(),
  /** Also count each prompt as it would be with nothing pruned (`assembled.unprunedTokens`). Default false. */
  measureUnpruned: z.boolean().default(false),
  /** Time zone for "today" and shown times in app context. Default `UTC`. */
  timeZone: z.string().optional(),
  /** Each part's deadline, in ms; a late part is left out. Defaults in `AssistantTimeouts`. */
  timeouts: timeoutsSchema.prefault({}),
  /**
   * Per-workspace limits from `createWorkspaceQuota`, checked before any work is done: a request over a
   * limit throws a `QuotaExceededError` (the handler answers 429 with `Retry-After`). When the quota store
   * is down the request goes on, reported as degraded `quota`. Default: none.
   */
  quota: objectWith<WorkspaceQuota>('admit', 'a quota from createWorkspaceQuota()').optional(),
  /** The route reported on `request-start`. Default `assistant`. */
  route: z.string().max(200).default('assistant'),
  /** Run after each request's turn is remembered, off the response path: `observability.flush`, for one. */
  flush: z.custom<() => Promise<unknown>>((v) => typeof v === 'function', 'must be a function').optional(),
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  telemetry: telemetryChannelSchema.optional(),
  /**
   * Ratings of answers (`recordFeedback`, `feedbackHandler`): where the requests the assistant issued and
   * their ratings are kept, per workspace. Default: this process's memory (`memoryKeyValueStore()`); pass
   * the app's Redis or Upstash store so every instance knows every request. `false` turns feedback off.
   */
  feedback: z.union([feedbackSchema, z.literal(false)]).optional(),
  /**
   * An A/B test of this configuration: variants (model, retrieval options, budget, rewrite, instructions)
   * assigned to a set percentage of users by a stable hash, recorded on every request event, compared on
   * the dashboard. Default: none.
   */
  experiment: experimentSchema.optional(),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
export const assistantOptionsSchema: z.ZodObject<
  typeof variantOptionsShape & typeof assistantOwnOptionsShape
> = z.object({
  ...variantOptionsShape,
  ...assistantOwnOptionsShape,
});

/** What `createAssistant` takes: the model, and the parts it draws on (knowledge, app context, memory), each optional. */
export type AssistantOptions = z.input<typeof assistantOptionsSchema>;

export type AssistantSettings = z.output<typeof assistantOptionsSchema>;

export function parseAssistantOptions(options: AssistantOptions): AssistantSettings {
  return parseOptions(assistantOptionsSchema, options, 'createAssistant options');
}
