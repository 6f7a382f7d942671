import type { FactExtractor, KeyValueStore, Summarizer, TelemetryChannel, Tokenizer } from '@neptune/core';
import { z } from 'zod';
import type { ActionHistoryStore } from './actions/action-history-store';
import type { ConsentSettings, ConsentStore } from './consent/consent-store';
import type { ConversationStore } from './conversations/conversation-store';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Every default of `createMemory`, with its reason in docs/memory.md ("Defaults and why"). */
export const MEMORY_DEFAULTS = {
  summarizeEveryTurns: 10,
  summaryMaxTokens: 400,
  sessionTtlMs: 7 * DAY_MS,
  maxFacts: 200,
  maxEntities: 200,
  consentCacheTtlMs: 5 * 60_000,
  recallShares: { facts: 0.3, summary: 0.25 },
  lockWaitMs: 10_000,
  retention: { messagesMaxAgeMs: 365 * DAY_MS, actionsMaxAgeMs: 180 * DAY_MS },
  patterns: {
    minOccurrences: 3,
    maxLength: 4,
    sessionGapMs: 30 * 60_000,
    lookbackMs: 90 * DAY_MS,
    maxActions: 2_000,
  },
  timing: { halfLifeMs: 30 * DAY_MS, minObservations: 5, maxActions: 500, acceptWeight: 3, rejectWeight: 2 },
  workspace: { minUsers: 3, cacheTtlMs: HOUR_MS, lookbackMs: 90 * DAY_MS, maxActions: 20_000 },
} as const;

const positiveMs = z.number().int().positive();
const store = <T>(name: string, methods: string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    `must be a ${name} (with ${methods.join(', ')})`,
  );

/**
 * What applies to a user who has not chosen yet. There is no default: the app decides, in one place.
 * `'opt-in'`: no fact extraction and no learning until the user agrees (what GDPR-minded apps expect);
 * `'opt-out'`: both on until the user objects; or each set on its own.
 */
export type ConsentDefaults = 'opt-in' | 'opt-out' | ConsentSettings;

const CONSENT_PRESETS: Record<'opt-in' | 'opt-out', ConsentSettings> = {
  'opt-in': { extraction: false, learning: false },
  'opt-out': { extraction: true, learning: true },
};

const consentDefaultsSchema = z.union(
  [
    z.enum(['opt-in', 'opt-out']).transform((preset) => CONSENT_PRESETS[preset]),
    z.object({ extraction: z.boolean(), learning: z.boolean() }).strict(),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? "is required: choose what applies to a user who has not chosen yet, 'opt-in' (no extraction or learning until they agree) or 'opt-out' (both on until they object), or { extraction, learning }"
        : "must be 'opt-in', 'opt-out' or { extraction: boolean, learning: boolean }",
  },
);

const memoryOptionsShape = {
  /** Conversations and their messages. Default: in memory; `drizzleMemoryStores({ db })` for Postgres. */
  conversations: store<ConversationStore>('ConversationStore', [
    'appendMessages',
    'listMessages',
    'deleteScope',
  ]).optional(),
  /** The users' action history, for pattern and timing learning. Default: in memory. */
  actions: store<ActionHistoryStore>('ActionHistoryStore', ['record', 'list', 'deleteScope']).optional(),
  /** Each user's consent record. Default: in memory. */
  consent: store<ConsentStore>('ConsentStore', ['get', 'set', 'deleteScope']).optional(),
  /** Session memories, locks and cached insights. Default: in memory; `redisKeyValueStore()` to share. */
  keyValue: store<KeyValueStore>('KeyValueStore', ['get', 'set', 'deleteByPrefix', 'clear']).optional(),
  /** Finds facts and entities in new messages. Default: the offline `offlineFactExtractor()`. */
  extractor: store<FactExtractor>('FactExtractor', ['extract']).optional(),
  /** Folds older turns into the rolling summary. Default: the offline extractive summarizer. */
  summarizer: store<Summarizer>('Summarizer', ['summarize']).optional(),
  /** Counts recall's tokens. Default: `o200k_base`. */
  tokenizer: store<Tokenizer>('Tokenizer', ['count', 'truncate']).optional(),
  /** Default: the process-wide channel from `defaultTelemetry()`. */
  telemetry: store<TelemetryChannel>('TelemetryChannel', ['emit']).optional(),
  /** Turns between two folds of older turns into the summary (1 to 50). Default 10. */
  summarizeEveryTurns: z.number().int().min(1).max(50).default(MEMORY_DEFAULTS.summarizeEveryTurns),
  /** The summary's most tokens (16 to 8,000). Default 400. */
  summaryMaxTokens: z.number().int().min(16).max(8_000).default(MEMORY_DEFAULTS.summaryMaxTokens),
  /** How long a session memory lives after its last update, in ms. Default 7 days. */
  sessionTtlMs: positiveMs.default(MEMORY_DEFAULTS.sessionTtlMs),
  /** Facts kept per conversation; superseded ones are dropped first. Default 200. */
  maxFacts: z.number().int().min(1).max(10_000).default(MEMORY_DEFAULTS.maxFacts),
  /** Entities kept per conversation. Default 200. */
  maxEntities: z.number().int().min(1).max(10_000).default(MEMORY_DEFAULTS.maxEntities),
  /** Required: what applies to a user who has not chosen (see `ConsentDefaults`). */
  consentDefaults: consentDefaultsSchema,
  /** How long a user's consent is cached, in ms. Default 5 minutes. */
  consentCacheTtlMs: positiveMs.default(MEMORY_DEFAULTS.consentCacheTtlMs),
  /**
   * The shares of recall's token budget for facts and for the summary (each 0 to 1, together at most 1);
   * the latest turns get the rest. Default facts 0.3, summary 0.25.
   */
  recallShares: z
    .object({
      facts: z.number().min(0).max(1).default(MEMORY_DEFAULTS.recallShares.facts),
      summary: z.number().min(0).max(1).default(MEMORY_DEFAULTS.recallShares.summary),
    })
    .strict()
    .refine(
      (shares) => shares.facts + shares.summary <= 1,
      'facts and summary shares must add up to at most 1',
    )
    .prefault({}),
  /** The longest wait for a conversation's lock before updating its memory, in ms. Default 10 s. */
  lockWaitMs: positiveMs.default(MEMORY_DEFAULTS.lockWaitMs),
  /**
   * What `enforceRetention` deletes, by age in ms: `messagesMaxAgeMs` (default 365 days) and
   * `actionsMaxAgeMs` (actions and feedback, default 180 days).
   */
  retention: z
    .object({
      messagesMaxAgeMs: positiveMs.default(MEMORY_DEFAULTS.retention.messagesMaxAgeMs),
      actionsMaxAgeMs: positiveMs.default(MEMORY_DEFAULTS.retention.actionsMaxAgeMs),
    })
    .strict()
    .prefault({}),
  /**
   * Workflow pattern learning: `minOccurrences` (default 3), `maxLength` in steps (4), `sessionGapMs`
   * (30 minutes), `lookbackMs` (90 days) and `maxActions` read (2,000).
   */
  patterns: z
    .object({
      minOccurrences: z.number().int().min(2).max(1_000).default(MEMORY_DEFAULTS.patterns.minOccurrences),
      maxLength: z.number().int().min(2).max(8).default(MEMORY_DEFAULTS.patterns.maxLength),
      sessionGapMs: positiveMs.default(MEMORY_DEFAULTS.patterns.sessionGapMs),
      lookbackMs: positiveMs.default(MEMORY_DEFAULTS.patterns.lookbackMs),
      maxActions: z.number().int().min(10).max(10_000).default(MEMORY_DEFAULTS.patterns.maxActions),
    })
    .strict()
    .prefault({}),
  /**
   * Follow-up timing learning: `halfLifeMs` (default 30 days), `minObservations` (5), `maxActions` read
   * (500), and the weights of an accepted (3) and a rejected (2) suggestion.
   */
  timing: z
    .object({
      halfLifeMs: positiveMs.default(MEMORY_DEFAULTS.timing.halfLifeMs),
      minObservations: z.number().int().min(1).max(1_000).default(MEMORY_DEFAULTS.timing.minObservations),
      maxActions: z.number().int().min(10).max(10_000).default(MEMORY_DEFAULTS.timing.maxActions),
      acceptWeight: z.number().min(0).max(100).default(MEMORY_DEFAULTS.timing.acceptWeight),
      rejectWeight: z.number().min(0).max(100).default(MEMORY_DEFAULTS.timing.rejectWeight),
    })
    .strict()
    .prefault({}),
  /**
   * Workspace insights: `minUsers` sharing a pattern (default 3, at least 2), `cacheTtlMs` (1 hour),
   * `lookbackMs` (90 days) and `maxActions` read (20,000).
   */
  workspace: z
    .object({
      // Fewer than two users would make an "aggregate" one person's data.
      minUsers: z.number().int().min(2).max(1_000).default(MEMORY_DEFAULTS.workspace.minUsers),
      cacheTtlMs: positiveMs.default(MEMORY_DEFAULTS.workspace.cacheTtlMs),
      lookbackMs: positiveMs.default(MEMORY_DEFAULTS.workspace.lookbackMs),
      maxActions: z.number().int().min(100).max(100_000).default(MEMORY_DEFAULTS.workspace.maxActions),
    })
    .strict()
    .prefault({}),
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now: z
    .custom<() => number>((value) => typeof value === 'function', 'must be a function returning epoch ms')
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
export const memoryOptionsSchema: z.ZodObject<typeof memoryOptionsShape, z.core.$strict> =
  z.strictObject(memoryOptionsShape);

/**
 * Options of `createMemory`: the stores, the strategies, consent defaults and the memory, retention and
 * learning limits.
 */
export type CreateMemoryOptions = Omit<z.input<typeof memoryOptionsSchema>, 'consentDefaults'> & {
  /** Required: what applies to a user who has not chosen (see `ConsentDefaults`). */
  readonly consentDefaults: ConsentDefaults;
};
export type MemorySettings = z.output<typeof memoryOptionsSchema>;
