/**
 * The typed events every Neptune package emits. Names are noun-verb; durations are in milliseconds.
 * Events carry ids and figures, never message content or personal data.
 */

export interface TelemetryScope {
  readonly workspaceId: string;
  readonly userId?: string | undefined;
}

interface EventBase {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly scope?: TelemetryScope | undefined;
  /** Correlates the events of one assistant request. */
  readonly requestId?: string | undefined;
}

/** The experiment variant a request ran under (`createAssistant({ experiment })`). */
export interface ExperimentAssignment {
  /** The experiment's id. */
  readonly id: string;
  /** The variant the user was assigned to. */
  readonly variant: string;
}

/** What every cache event carries. */
export interface CacheEventBase extends EventBase {
  /** The cache kind (`crm`, `calendar`, `rag`, ...). */
  readonly kind: string;
  readonly durationMs: number;
  /** Which tier answered: `memory` (first tier) or the store's name. */
  readonly tier?: string | undefined;
  /**
   * Model tokens the answer spared, when the caller knows them (a cached RAG answer or embedding
   * stands in for a model call of that size). Observability reports the sum as "tokens saved by cache".
   */
  readonly tokensSaved?: number | undefined;
}

/** Every telemetry event type and the fields its events carry. */
export interface NeptuneEventMap {
  'cache-hit': CacheEventBase;
  'cache-miss': CacheEventBase;
  /** A stale value was served inside its grace period (or because the loader failed). */
  'cache-stale': CacheEventBase & { readonly reason: 'grace' | 'loader-failed' | 'store-down' };
  'cache-refresh': CacheEventBase & { readonly ok: boolean };
  'cache-error': CacheEventBase & { readonly operation: string; readonly errorCode: string };
  'cache-breaker': EventBase & { readonly store: string; readonly state: 'closed' | 'open' | 'half-open' };
  'retrieval-end': EventBase & {
    readonly durationMs: number;
    readonly results: number;
    /** Which legs ran: `vector`, `keyword`, `expansion`, `rerank`. */
    readonly legs: readonly string[];
    readonly cached: boolean;
  };
  'embedding-call': EventBase & {
    readonly provider: string;
    readonly model: string;
    readonly inputs: number;
    readonly inputTokens: number;
    readonly durationMs: number;
    readonly cached?: number | undefined;
  };
  'model-call': EventBase & {
    readonly provider: string;
    readonly model: string;
    readonly operation: 'chat' | 'stream' | 'structured';
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cachedInputTokens?: number | undefined;
    readonly durationMs: number;
    /** Time to first token, for streams. */
    readonly timeToFirstTokenMs?: number | undefined;
    readonly finishReason?: string | undefined;
    readonly retries?: number | undefined;
  };
  'db-query': EventBase & {
    /** A short label for the query (`crm.leads`), never the SQL parameters. */
    readonly name: string;
    readonly durationMs: number;
    readonly rows?: number | undefined;
    readonly slow: boolean;
    /** The query threw; `durationMs` is the time until it did. */
    readonly failed?: boolean | undefined;
  };
  'context-gather': EventBase & {
    readonly durationMs: number;
    readonly sources: number;
    readonly failed: readonly string[];
    readonly cacheHits: number;
    /** Items gathered from the sources that answered. */
    readonly items?: number | undefined;
    /** Kinds among `failed` that timed out (their load may still fill the cache). */
    readonly timedOut?: readonly string[] | undefined;
  };
  'context-assemble': EventBase & {
    readonly tokensBefore: number;
    readonly tokensAfter: number;
    readonly items: number;
    readonly dropped: number;
    /** The hard cap the prompt was assembled to. */
    readonly maxTokens?: number | undefined;
    /** Retrieved passages and memory messages included. */
    readonly passages?: number | undefined;
    readonly memoryMessages?: number | undefined;
    readonly durationMs?: number | undefined;
  };
  'memory-update': EventBase & {
    readonly durationMs: number;
    readonly facts: number;
    readonly summarized: boolean;
    /** Facts this update superseded (kept, marked with what replaced them). */
    readonly superseded?: number | undefined;
    /** Model calls the update made: extraction, plus summarization on the turns that fold. */
    readonly modelCalls?: number | undefined;
    /** Set when memory was not updated: the user opted out, or extraction failed (see the `error` event). */
    readonly skipped?: 'opted-out' | 'failed' | undefined;
  };
  'memory-recall': EventBase & {
    readonly durationMs: number;
    /** Tokens of what was returned: window, summary and facts. */
    readonly tokens: number;
    readonly maxTokens: number;
    readonly messages: number;
    readonly facts: number;
    readonly summarized: boolean;
  };
  'memory-erase': EventBase & {
    readonly durationMs: number;
    readonly kind: 'user' | 'workspace';
    /** Records removed, summed over every store and hook. */
    readonly removed: number;
    /** Names of the stores or hooks that failed; the erasure must be retried. */
    readonly failed: readonly string[];
  };
  'request-start': EventBase & {
    readonly route?: string | undefined;
    readonly experiment?: ExperimentAssignment | undefined;
  };
  'request-end': EventBase & {
    readonly durationMs: number;
    readonly timeToFirstTokenMs?: number | undefined;
    readonly inputTokens?: number | undefined;
    readonly outputTokens?: number | undefined;
    /** Passages included in the prompt. */
    readonly passages?: number | undefined;
    /** Of those, the ones the answer cited by their `[n]` marker: utilisation is `citedPassages / passages`. */
    readonly citedPassages?: number | undefined;
    /** Parts the answer was given without (`memory`, `knowledge.vector`, `context.tickets`, `model`). */
    readonly degraded?: readonly string[] | undefined;
    /** The experiment variant the request ran under, if any. */
    readonly experiment?: ExperimentAssignment | undefined;
    readonly ok: boolean;
  };
  /** A user rated an answer. Carries the rating only: a comment stays in the workspace's own store. */
  feedback: EventBase & {
    /** Thumbs up, or 4 and 5 of five stars: what satisfaction counts. */
    readonly positive: boolean;
    /** The rating on 0..1: down 0, up 1, stars (n - 1) / 4. */
    readonly score: number;
    /** The experiment variant of the rated request, if any. */
    readonly experiment?: ExperimentAssignment | undefined;
  };
  /** Memory offered suggestions (automations, follow-up times) to a user. */
  'suggestion-shown': EventBase & {
    readonly kind: 'pattern' | 'timing';
    readonly count: number;
  };
  /** A user accepted or rejected one of memory's suggestions. */
  'suggestion-feedback': EventBase & {
    readonly kind: 'pattern' | 'timing';
    readonly accepted: boolean;
  };
  error: EventBase & {
    /** The package or component that failed: `cache`, `rag`, `openai`, ... */
    readonly source: string;
    readonly code: string;
    readonly message: string;
    readonly retryable: boolean;
  };
}

/** The name of a telemetry event type (`cache-hit`, `model-call`, ...). */
export type NeptuneEventType = keyof NeptuneEventMap;

/** Any telemetry event, told apart by its `type`. */
export type NeptuneEvent = {
  [Type in NeptuneEventType]: { readonly type: Type } & NeptuneEventMap[Type];
}[NeptuneEventType];

/** The telemetry event of one type. */
export type NeptuneEventOf<Type extends NeptuneEventType> = Extract<NeptuneEvent, { type: Type }>;
