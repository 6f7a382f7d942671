import {
  MAX_QUERY_LENGTH,
  type Scope,
  type TelemetryChannel,
  type Tokenizer,
  validateScope,
} from '@neptune/core';
import { z } from 'zod';
import { type ContextItem, contextItemSchema, isCheckedItem } from '../context-item';
import { type ScoringOptions, scoringOptionsSchema, timeZoneSchema } from '../score/scoring-options';

/**
 * A retrieved passage, typed by shape so that `@neptune/context` does not depend on `@neptune/rag`:
 * `@neptune/rag`'s `Passage` fits as is. Passages are taken in the order given (retrieval's rank).
 */
export interface PassageInput {
  readonly id: string;
  readonly text: string;
  readonly citation?:
    | {
        readonly documentId?: string | undefined;
        readonly title?: string | undefined;
        readonly source?: string | undefined;
        readonly start?: number | undefined;
        readonly end?: number | undefined;
      }
    | undefined;
}

/** A conversation turn, oldest first. `@neptune/memory`'s stored messages fit as they are. */
export interface MemoryMessageInput {
  readonly role: 'user' | 'assistant' | 'system';
  readonly content: string;
}

/**
 * Conversation memory, typed by shape: the recent window, a rolling summary of what came before, facts.
 * `@neptune/memory`'s `recall()` result fits as it is.
 */
export interface MemoryInput {
  /** The recent window, oldest first. The newest are kept first when the budget is short. */
  readonly messages?: readonly MemoryMessageInput[] | undefined;
  readonly summary?: string | undefined;
  readonly facts?: ReadonlyArray<string | { readonly text: string }> | undefined;
}

/** Relative shares of the budget left after the instructions and the query; missing ones take their default. */
export interface BudgetShares {
  readonly context?: number | undefined;
  readonly passages?: number | undefined;
  readonly memory?: number | undefined;
}

/**
 * The token budget of an assembled request, and how it is shared between the context, passages and memory.
 */
export interface ContextBudget {
  /** Hard cap on the whole request's input tokens (every message, with chat framing). Default 8,000. */
  readonly maxTokens?: number | undefined;
  /** Default: context 0.4, passages 0.4, memory 0.2. What a section does not use flows to the others. */
  readonly shares?: BudgetShares | undefined;
}

/**
 * What `assembleContext` takes: the query, the app context, passages and memory to fit into one prompt, and
 * how.
 */
export interface AssembleContextInput {
  /** The user's message: the last message, and what items are scored against. */
  readonly query: string;
  /** App context from `gather`. */
  readonly items?: readonly ContextItem[] | undefined;
  readonly passages?: readonly PassageInput[] | undefined;
  readonly memory?: MemoryInput | undefined;
  readonly budget?: ContextBudget | undefined;
  /** The start of the system message. Default: a short instruction to use the context and cite [n]. */
  readonly instructions?: string | undefined;
  /** How many top-ranked items are shown in full; the rest get their one-line summary. Default 5. */
  readonly fullDetailItems?: number | undefined;
  /** Items scoring below this (0-10) are left out whatever the budget. Default 0. */
  readonly minScore?: number | undefined;
  /**
   * Keep items with no reason to be in the prompt (no priority signal above general, no query term, no
   * date within `soonMs`) for the budget to decide. Default false: they are left out as `unrelated`, which
   * is most of the token saving on broad workspaces (see the benchmark).
   */
  readonly includeUnrelated?: boolean | undefined;
  readonly scoring?: ScoringOptions | undefined;
  /** Epoch ms for "overdue", "today", recency and the "as of" line. Default `Date.now()`. */
  readonly now?: number | undefined;
  /** The zone "today" and shown times are in. Default `UTC`. */
  readonly timeZone?: string | undefined;
  /** Default: `createTokenizer({ encoding })`. */
  readonly tokenizer?: Tokenizer | undefined;
  /** Used when no tokenizer is given. Default `o200k_base` (GPT-4o, GPT-4.1, GPT-5, o-series). */
  readonly encoding?: 'o200k_base' | 'cl100k_base' | undefined;
  /** Also count the prompt as it would be with nothing pruned (`unprunedTokens`). Costs one more count. */
  readonly measureUnpruned?: boolean | undefined;
  readonly scope?: Scope | undefined;
  readonly requestId?: string | undefined;
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  readonly telemetry?: TelemetryChannel | undefined;
}

/** The prompt's token budget when `budget.maxTokens` is not given. */
export const DEFAULT_MAX_TOKENS = 8_000;
/** How many of the best-scored context items keep their full detail; the rest are summarised. */
export const DEFAULT_FULL_DETAIL_ITEMS = 5;
/** How the budget is split between app context, knowledge passages and memory when no shares are given. */
export const DEFAULT_SHARES = Object.freeze({ context: 0.4, passages: 0.4, memory: 0.2 });
/** The system instructions that open the prompt when none are given. */
export const DEFAULT_INSTRUCTIONS =
  'You are a helpful assistant for this workspace. Use the app context, knowledge and conversation memory below when they are relevant, cite knowledge passages by their [n] marker, and say so when they do not answer the question.';

const share = z.number().finite().min(0);
const passageSchema = z.object({
  id: z.string().min(1).max(512),
  text: z.string().max(64_000),
  citation: z
    .object({
      documentId: z.string().optional(),
      title: z.string().optional(),
      source: z.string().optional(),
      start: z.number().optional(),
      end: z.number().optional(),
    })
    .optional(),
});
const memorySchema = z.object({
  messages: z
    .array(
      z.object({
        role: z.enum(['user', 'assistant', 'system'], 'must be "user", "assistant" or "system"'),
        content: z.string().max(64_000),
      }),
    )
    .max(1_000)
    .default([]),
  summary: z.string().max(32_000).optional(),
  facts: z
    .array(z.union([z.string(), z.object({ text: z.string() })]))
    .max(500)
    .default([]),
});

export const assembleInputSchema = z.object({
  query: z
    .string()
    .refine((query) => query.trim() !== '', 'must not be empty')
    .pipe(
      z
        .string()
        .max(
          MAX_QUERY_LENGTH,
          `must be at most ${MAX_QUERY_LENGTH} characters: the question, not a document`,
        ),
    ),
  // A source's items were checked when it made them; only the others are checked here.
  items: z
    .array(z.unknown())
    .max(5_000)
    .default([])
    .transform((items, context) => {
      const checked: ContextItem[] = [];
      for (const [index, item] of items.entries()) {
        if (isCheckedItem(item)) {
          checked.push(item);
          continue;
        }
        const parsed = contextItemSchema.safeParse(item);
        if (parsed.success) checked.push(parsed.data);
        else
          for (const issue of parsed.error.issues)
            context.addIssue({ ...issue, path: [index, ...issue.path] } as never);
      }
      return checked;
    }),
  passages: z.array(passageSchema).max(500).default([]),
  memory: memorySchema.prefault({}),
  budget: z
    .object({
      maxTokens: z.number().int().positive().max(2_000_000).default(DEFAULT_MAX_TOKENS),
      shares: z
        .object({
          context: share.default(DEFAULT_SHARES.context),
          passages: share.default(DEFAULT_SHARES.passages),
          memory: share.default(DEFAULT_SHARES.memory),
        })
        .prefault({})
        .refine(
          (shares) => shares.context + shares.passages + shares.memory > 0,
          'at least one share must be above 0',
        ),
    })
    .prefault({}),
  instructions: z.string().max(64_000).default(DEFAULT_INSTRUCTIONS),
  fullDetailItems: z.number().int().min(0).max(1_000).default(DEFAULT_FULL_DETAIL_ITEMS),
  minScore: z.number().finite().min(0).max(10).default(0),
  includeUnrelated: z.boolean().default(false),
  scoring: scoringOptionsSchema,
  now: z.number().finite().optional(),
  timeZone: timeZoneSchema.default('UTC'),
  tokenizer: z
    .custom<Tokenizer>(
      (value) => typeof (value as Tokenizer | undefined)?.count === 'function',
      'must be a Tokenizer (createTokenizer from @neptune/core/tokenizer)',
    )
    .optional(),
  encoding: z.enum(['o200k_base', 'cl100k_base']).default('o200k_base'),
  measureUnpruned: z.boolean().default(false),
  scope: z
    .unknown()
    .optional()
    .transform((scope) => (scope === undefined ? undefined : validateScope(scope))),
  requestId: z.string().max(256).optional(),
  telemetry: z
    .custom<TelemetryChannel>((value) => typeof (value as TelemetryChannel | undefined)?.emit === 'function')
    .optional(),
});

export type ResolvedAssembleInput = z.output<typeof assembleInputSchema>;
