import type { ContextBudget, ContextGatherer } from '@neptune/context';
import {
  type ChatModel,
  type KeyValueStore,
  parseOptions,
  type Scope,
  type TelemetryChannel,
  type Tokenizer,
  telemetryChannelSchema,
} from '@neptune/core';
import type { Memory } from '@neptune/memory';
import type { RetrievalResult, RetrieveOptions } from '@neptune/rag';
import { z } from 'zod';
import { type ExperimentOptions, experimentSchema } from './experiments/experiment-options';
import type { QuestionRewriter } from './follow-up';
import type { WorkspaceQuota } from './quota/workspace-quota';

/** What the assistant retrieves from: a knowledge base from `createKnowledgeBase`, or any retriever. */
export interface KnowledgeSource {
  retrieve(scope: Scope, query: string, options?: RetrieveOptions): Promise<RetrievalResult>;
}

/** Where app context comes from: a gatherer from `createContextGatherer`, or anything shaped like one. */
export type ContextSourceGatherer = Pick<ContextGatherer, 'gather'>;

/** What the assistant needs of memory: `createMemory()` fits. */
export type ConversationMemory = Pick<Memory, 'recall' | 'remember'>;

/** Each part's deadline, in ms (see docs/assistant.md, "Degrade, never fail"); a late part is left out. */
export interface AssistantTimeouts {
  /** App context (every source together; each source has its own timeout too). Default 2,000 ms. */
  readonly context?: number | undefined;
  /** Retrieval, embedding included. Default 3,000 ms. */
  readonly knowledge?: number | undefined;
  /** Conversation recall. Default 2,000 ms. */
  readonly memory?: number | undefined;
  /** The model rewrite of a follow-up question. Default 2,000 ms. */
  readonly rewrite?: number | undefined;
  /** The quota check. Default 1,000 ms; past it the request goes on unchecked (degraded `quota`). */
  readonly quota?: number | undefined;
  /** Until the model's first token; after it the stream runs as long as the model writes. Default 30,000 ms. */
  readonly firstToken?: number | undefined;
}

/** What `createAssistant` takes: the model, and the parts it draws on (knowledge, app context, memory), each optional. */
export interface AssistantOptions {
  /** Answers the question. The one part without a default: `openaiChatModel()`, `extractiveChatModel()`, `fromLanguageModel(...)`. */
  readonly model: ChatModel;
  /**
   * Answers when `model` fails before its first token, so the user gets the cited passages rather than
   * an error (reported as degraded `model`). Default: the offline `extractiveChatModel()`; `false` for none.
   */
  readonly fallbackModel?: ChatModel | false | undefined;
  /** Knowledge to retrieve from. Default: an empty in-memory `createKnowledgeBase()`; `false` for none. */
  readonly knowledge?: KnowledgeSource | false | undefined;
  /**
   * Whose knowledge a request searches: `workspace` (default: the workspace's shared documents), `user`
   * (the user's own scope), or a function of the request's scope.
   */
  readonly knowledgeScope?: 'workspace' | 'user' | ((scope: Scope) => Scope) | undefined;
  /** Options for every retrieval. Default `{ topK: 4, minRelativeScore: 0.5 }`. */
  readonly retrieve?: Omit<RetrieveOptions, 'signal' | 'requestId'> | undefined;
  /** App context sources. Default: none. */
  readonly gatherer?: ContextSourceGatherer | undefined;
  /**
   * Conversation memory. Default: an in-memory `createMemory({ consentDefaults: 'opt-in' })`: turns kept,
   * facts extracted only from users who agreed; `false` for none.
   */
  readonly memory?: ConversationMemory | false | undefined;
  /** Tokens of conversation recalled for the prompt. Default 1,200. */
  readonly recallTokens?: number | undefined;
  /** Counts the prompt. Default: `o200k_base`, loaded on the first request (or pass one loaded at start-up). */
  readonly tokenizer?: Tokenizer | undefined;
  /** The prompt's token budget and its shares. Default `{ maxTokens: 6_000 }`. */
  readonly budget?: ContextBudget | undefined;
  /** The start of the system message. Default: `assembleContext`'s (use the context, cite [n]). */
  readonly instructions?: string | undefined;
  /** Also count each prompt as it would be with nothing pruned (`assembled.unprunedTokens`). Default false. */
  readonly measureUnpruned?: boolean | undefined;
  /** Time zone for "today" and shown times in app context. Default `UTC`. */
  readonly timeZone?: string | undefined;
  /**
   * Follow-up questions: `auto` (default) rewrites with the model unless it is the offline one, else with
   * the heuristic; `heuristic`; `model`; `false` to search the question as asked; or your own rewriter.
   */
  readonly rewrite?: 'auto' | 'heuristic' | 'model' | false | QuestionRewriter | undefined;
  readonly timeouts?: AssistantTimeouts | undefined;
  /**
   * Per-workspace limits from `createWorkspaceQuota`, checked before any work is done: a request over a
   * limit throws a `QuotaExceededError` (the handler answers 429 with `Retry-After`). When the quota store
   * is down the request goes on, reported as degraded `quota`. Default: none.
   */
  readonly quota?: WorkspaceQuota | undefined;
  /** Passed to the model. */
  readonly maxOutputTokens?: number | undefined;
  readonly temperature?: number | undefined;
  /** The route reported on `request-start`. Default `assistant`. */
  readonly route?: string | undefined;
  /** Run after each request's turn is remembered, off the response path: `observability.flush`, for one. */
  readonly flush?: (() => Promise<unknown>) | undefined;
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  readonly telemetry?: TelemetryChannel | undefined;
  /**
   * Ratings of answers (`recordFeedback`, `feedbackHandler`): where the requests the assistant issued and
   * their ratings are kept, per workspace. Default: this process's memory (`memoryKeyValueStore()`); pass
   * the app's Redis or Upstash store so every instance knows every request. `false` turns feedback off.
   */
  readonly feedback?: FeedbackOptions | false | undefined;
  /**
   * An A/B test of this configuration: variants (model, retrieval options, budget, rewrite, instructions)
   * assigned to a set percentage of users by a stable hash, recorded on every request event, compared on
   * the dashboard. Default: none.
   */
  readonly experiment?: ExperimentOptions | undefined;
}

/** Where `recordFeedback` keeps the ledger of answered requests and their ratings, and for how long. */
export interface FeedbackOptions {
  /** The key-value store for the request ledger and the ratings. Default: in memory. */
  readonly store?: KeyValueStore | undefined;
  /** How long an answer can be rated, in ms; its ledger entry and rating expire then. Default 30 days. */
  readonly retentionMs?: number | undefined;
}

const objectWith = <T>(method: string, what: string) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Record<string, unknown>)[method] === 'function',
    `must be ${what} (an object with a ${method}() method)`,
  );

const timeout = z.number().int().min(1).max(600_000);

export const assistantOptionsSchema = z.object({
  model: objectWith<ChatModel>('stream', 'a ChatModel'),
  fallbackModel: z.union([objectWith<ChatModel>('stream', 'a ChatModel'), z.literal(false)]).optional(),
  knowledge: z
    .union([objectWith<KnowledgeSource>('retrieve', 'a knowledge base'), z.literal(false)])
    .optional(),
  knowledgeScope: z
    .union([z.enum(['workspace', 'user']), z.custom<(scope: Scope) => Scope>((v) => typeof v === 'function')])
    .default('workspace'),
  retrieve: z.record(z.string(), z.unknown()).optional(),
  gatherer: objectWith<ContextSourceGatherer>('gather', 'a context gatherer').optional(),
  memory: z
    .union([objectWith<ConversationMemory>('recall', 'a memory from createMemory()'), z.literal(false)])
    .optional(),
  recallTokens: z.number().int().min(1).max(1_000_000).default(1_200),
  tokenizer: objectWith<Tokenizer>('count', 'a Tokenizer').optional(),
  budget: z.record(z.string(), z.unknown()).optional(),
  instructions: z.string().max(20_000).optional(),
  measureUnpruned: z.boolean().default(false),
  timeZone: z.string().optional(),
  rewrite: z
    .union([
      z.enum(['auto', 'heuristic', 'model']),
      z.literal(false),
      objectWith<QuestionRewriter>('rewrite', 'a QuestionRewriter'),
    ])
    .default('auto'),
  timeouts: z
    .object({
      context: timeout.default(2_000),
      knowledge: timeout.default(3_000),
      memory: timeout.default(2_000),
      rewrite: timeout.default(2_000),
      quota: timeout.default(1_000),
      firstToken: timeout.default(30_000),
    })
    .prefault({}),
  quota: objectWith<WorkspaceQuota>('admit', 'a quota from createWorkspaceQuota()').optional(),
  maxOutputTokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  route: z.string().max(200).default('assistant'),
  flush: z.custom<() => Promise<unknown>>((v) => typeof v === 'function', 'must be a function').optional(),
  telemetry: telemetryChannelSchema.optional(),
  feedback: z
    .union([
      z.object({
        store: objectWith<KeyValueStore>('increment', 'a KeyValueStore').optional(),
        retentionMs: z
          .number()
          .int()
          .min(60_000, 'must be at least a minute (60,000 ms)')
          .max(366 * 86_400_000, 'must be at most a year')
          .optional(),
      }),
      z.literal(false),
    ])
    .optional(),
  experiment: experimentSchema.optional(),
});

export type AssistantSettings = z.output<typeof assistantOptionsSchema>;

export function parseAssistantOptions(options: AssistantOptions): AssistantSettings {
  return parseOptions(assistantOptionsSchema, options, 'createAssistant options');
}
