import {
  type AssembledCitation,
  type AssembledContext,
  assembleContext,
  type GatheredContext,
} from '@neptune/context';
import type { ChatMessage, ExperimentAssignment, Scope, TelemetryChannel, Tokenizer } from '@neptune/core';
import type { RecallResult } from '@neptune/memory';
import { MAX_QUERY_LENGTH, type Passage, type RetrievalResult } from '@neptune/rag';
import type { ContextSourceGatherer, ConversationMemory, KnowledgeSource } from './assistant-options';
import type { ResolvedRequest } from './assistant-request';
import { citedMarkers } from './citations';
import { type DegradationReport, degradationLabels, type GuardContext, guarded } from './degradation';
import type { RequestLedger } from './feedback/request-ledger';
import { dependsOnConversation, heuristicRewriter, type QuestionRewriter } from './follow-up';
import { admitWithinQuota } from './quota/admit-within-quota';
import type { WorkspaceQuota } from './quota/workspace-quota';

/** Milliseconds each stage of `prepare()` took; a stage that did not run is absent. */
export interface PrepareTimings {
  readonly contextMs?: number;
  readonly knowledgeMs?: number;
  readonly memoryMs?: number;
  readonly rewriteMs?: number;
  readonly assembleMs: number;
  readonly totalMs: number;
}

/** How an answer went, for `remember` and `request-end`. */
export interface AnswerFigures {
  /** False when the answer failed or was cancelled: nothing is remembered. Default true. */
  readonly ok?: boolean | undefined;
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  /** From the start of the request. */
  readonly timeToFirstTokenMs?: number | undefined;
  /** Parts the answer itself lost (the model's fallback), added to `degraded`. */
  readonly degraded?: readonly DegradationReport[] | undefined;
}

/** What became of the request once answered. */
export interface TurnOutcome {
  /** The `[n]` markers the answer cited, ascending; only markers of included passages count. */
  readonly cited: readonly number[];
  /** Cited passages over included passages; undefined when no passage was included. */
  readonly utilisation: number | undefined;
  /** Whether the turn was stored in memory (false without memory, a conversation id, or on failure). */
  readonly remembered: boolean;
}

/** The assembled request, for callers who run the model themselves. */
export interface PreparedRequest {
  readonly requestId: string;
  readonly scope: Scope;
  readonly conversationId: string | undefined;
  /** The question as asked. */
  readonly question: string;
  /** What retrieval searched: the question, or its standalone rewrite when it leaned on the conversation. */
  readonly searchQuery: string;
  /** `[system, ...history, user]`: what the OpenAI client and the AI SDK's `streamText({ messages })` take. */
  readonly messages: ChatMessage[];
  /** The passages in the prompt, under the `[n]` the answer cites them by. */
  readonly citations: readonly AssembledCitation[];
  /** The retrieved passages that made it into the prompt, in marker order. */
  readonly passages: readonly Passage[];
  readonly context: GatheredContext | undefined;
  readonly memory: RecallResult | undefined;
  readonly retrieval: RetrievalResult | undefined;
  readonly assembled: AssembledContext;
  /** Parts left out or answered without, with why (server side; `publicDegradation` for clients). */
  readonly degraded: readonly DegradationReport[];
  readonly timings: PrepareTimings;
  /**
   * Ends the request with the answer: records which passages it cited, emits `request-end` once, stores
   * the turn in memory and runs `flush`. Never throws; await it off the response path (`after()`).
   */
  remember(answer: string, figures?: AnswerFigures): Promise<TurnOutcome>;
  /** The `[n]` markers of included passages that `answer` cites, ascending. */
  citedIn(answer: string): number[];
  /** Ends a request that got no answer (failed or cancelled): `request-end` with `ok: false`. */
  fail(figures?: Pick<AnswerFigures, 'timeToFirstTokenMs' | 'degraded'>): void;
}

export interface PrepareParts {
  readonly knowledge: KnowledgeSource | undefined;
  readonly knowledgeScope: (scope: Scope) => Scope;
  readonly retrieve: Record<string, unknown> | undefined;
  readonly gatherer: ContextSourceGatherer | undefined;
  readonly memory: ConversationMemory | undefined;
  readonly recallTokens: number;
  readonly rewriter: QuestionRewriter | undefined;
  readonly tokenizer: () => Promise<Tokenizer>;
  readonly assemble: {
    readonly budget: Record<string, unknown> | undefined;
    readonly instructions: string | undefined;
    readonly timeZone: string | undefined;
    readonly measureUnpruned: boolean;
  };
  readonly timeouts: {
    readonly context: number;
    readonly knowledge: number;
    readonly memory: number;
    readonly rewrite: number;
    readonly quota: number;
  };
  readonly quota: WorkspaceQuota | undefined;
  readonly route: string;
  readonly flush: (() => Promise<unknown>) | undefined;
  readonly telemetry: TelemetryChannel;
  /** Where issued requests are noted, so feedback can name them; undefined when feedback is off. */
  readonly ledger: RequestLedger | undefined;
}

const FALLBACK_REWRITER = heuristicRewriter();

/** Runs `task` and reports how long it took in `timings[name]`. */
async function timed<T>(timings: Record<string, number>, name: string, task: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await task();
  } finally {
    timings[name] = performance.now() - started;
  }
}

/** The parts' own reports of what they answered without: failed sources, retrieval legs, memory reads. */
function partialDegradations(
  gathered: GatheredContext | undefined,
  retrieved: RetrievalResult | undefined,
  recalled: RecallResult | undefined,
): DegradationReport[] {
  const reports: DegradationReport[] = [];
  if (gathered && gathered.failed.length > 0) {
    reports.push({
      part: 'context',
      code: 'partial',
      affected: [...gathered.failed],
      reason: `context sources failed or timed out: ${gathered.failed.join(', ')}`,
    });
  }
  if (retrieved && retrieved.degraded.length > 0) {
    reports.push({
      part: 'knowledge',
      code: 'partial',
      affected: retrieved.degraded.map((entry) => entry.split(':')[0]!.trim()),
      reason: retrieved.degraded.join('; '),
    });
  }
  const memoryDegraded = recalled?.degraded;
  if (memoryDegraded && memoryDegraded.length > 0) {
    reports.push({
      part: 'memory',
      code: 'partial',
      affected: memoryDegraded.map((entry) => entry.split(':')[0]!.trim()),
      reason: memoryDegraded.join('; '),
    });
  }
  return reports;
}

/**
 * The request flow up to the model: app context, retrieval and recall in parallel, each under its own
 * deadline and error boundary; a follow-up question rewritten from the recalled turns before it is
 * searched; then one assembly to the token budget. Emits `request-start`; `remember`/`fail` emit
 * `request-end`.
 */
export async function prepareRequest(
  parts: PrepareParts,
  request: ResolvedRequest,
  experiment?: ExperimentAssignment,
): Promise<PreparedRequest> {
  const startedAt = Date.now();
  const started = performance.now();
  const { scope, message, conversationId, requestId, signal } = request;
  const telemetry = parts.telemetry;
  const telemetryScope = { workspaceId: scope.workspaceId, userId: scope.userId };
  const degraded: DegradationReport[] = [];
  const guard: GuardContext = { signal, telemetry, degraded, scope: telemetryScope, requestId };
  // Before any work and any event: a request over quota throws here, having counted and recorded nothing.
  const admission = parts.quota
    ? await admitWithinQuota(parts.quota, parts.timeouts.quota, guard, scope)
    : undefined;
  telemetry.emit({
    type: 'request-start',
    timestamp: startedAt,
    scope: telemetryScope,
    requestId,
    route: parts.route,
    experiment,
  });
  const timings: Record<string, number> = {};
  let ended = false;
  const end = (figures: AnswerFigures & { ok: boolean; passages: number; cited?: number | undefined }) => {
    if (ended) return;
    ended = true;
    const usage =
      figures.inputTokens === undefined && figures.outputTokens === undefined
        ? undefined
        : { inputTokens: figures.inputTokens ?? 0, outputTokens: figures.outputTokens ?? 0 };
    void admission?.settle({ ok: figures.ok, usage });
    telemetry.emit({
      type: 'request-end',
      timestamp: Date.now(),
      scope: telemetryScope,
      requestId,
      durationMs: Date.now() - startedAt,
      ok: figures.ok,
      timeToFirstTokenMs: figures.timeToFirstTokenMs,
      inputTokens: figures.inputTokens,
      outputTokens: figures.outputTokens,
      passages: figures.passages,
      citedPassages: figures.cited,
      degraded: degradationLabels([...degraded, ...(figures.degraded ?? [])]),
      experiment,
    });
  };

  try {
    const { memory, gatherer, knowledge } = parts;
    const recalling =
      memory && conversationId !== undefined
        ? timed(timings, 'memoryMs', () =>
            guarded('memory', parts.timeouts.memory, guard, (partSignal) =>
              memory.recall(scope, conversationId, {
                maxTokens: parts.recallTokens,
                signal: partSignal,
                requestId,
              }),
            ),
          )
        : Promise.resolve(undefined);
    const gathering = gatherer
      ? timed(timings, 'contextMs', () =>
          guarded('context', parts.timeouts.context, guard, (partSignal) =>
            gatherer.gather(scope, { query: message, signal: partSignal, requestId }),
          ),
        )
      : Promise.resolve(undefined);
    let searchQuery = message;
    const retrieving = knowledge
      ? (async () => {
          // A question that leans on the conversation waits for the recall and is rewritten; the rest
          // (most requests) search at once, in parallel with the other two reads.
          if (parts.rewriter && dependsOnConversation(message)) {
            const recalled = await recalling;
            if (recalled && recalled.messages.length > 0) {
              const rewriter = parts.rewriter;
              const history = recalled.messages;
              searchQuery = await timed(timings, 'rewriteMs', async () => {
                const rewritten = await guarded('rewrite', parts.timeouts.rewrite, guard, (partSignal) =>
                  rewriter.rewrite(message, history, { scope, signal: partSignal, requestId }),
                );
                return rewritten ?? FALLBACK_REWRITER.rewrite(message, history, { scope, requestId });
              });
              searchQuery = searchQuery.slice(0, MAX_QUERY_LENGTH);
            }
          }
          return timed(timings, 'knowledgeMs', () =>
            guarded('knowledge', parts.timeouts.knowledge, guard, (partSignal) =>
              knowledge.retrieve(parts.knowledgeScope(scope), searchQuery, {
                ...parts.retrieve,
                signal: partSignal,
                requestId,
              }),
            ),
          );
        })()
      : Promise.resolve(undefined);

    const [gathered, retrieved, recalled, tokenizer] = await Promise.all([
      gathering,
      retrieving,
      recalling,
      parts.tokenizer(),
    ]);
    degraded.push(...partialDegradations(gathered, retrieved, recalled));

    const assembled = await timed(timings, 'assembleMs', () =>
      assembleContext({
        query: message,
        items: gathered?.items,
        passages: retrieved?.passages,
        memory: recalled,
        budget: parts.assemble.budget,
        instructions: parts.assemble.instructions,
        timeZone: parts.assemble.timeZone,
        measureUnpruned: parts.assemble.measureUnpruned,
        tokenizer,
        scope,
        requestId,
        telemetry,
      }),
    );
    timings.totalMs = performance.now() - started;
    const byId = new Map((retrieved?.passages ?? []).map((passage) => [passage.id, passage]));
    const passages = assembled.citations.flatMap((citation) => {
      const passage = byId.get(citation.passageId);
      return passage ? [passage] : [];
    });

    // Noted off the response path: a ledger that is down costs this answer its rating, never the answer.
    parts.ledger
      ?.record(scope, requestId, {
        userId: scope.userId,
        passageIds: assembled.citations.map((citation) => citation.passageId),
        experiment,
        at: startedAt,
      })
      .catch((error: unknown) => {
        if (!telemetry.active) return;
        telemetry.emit({
          type: 'error',
          timestamp: Date.now(),
          scope: telemetryScope,
          requestId,
          source: 'assistant',
          code: 'ledger-unavailable',
          message: `The request was not noted for feedback (${error instanceof Error ? error.name : 'error'}).`,
          retryable: true,
        });
      });

    let outcome: Promise<TurnOutcome> | undefined;
    const included = new Set(assembled.citations.map((citation) => citation.marker));
    const citedIn = (answer: string) => citedMarkers(answer).filter((marker) => included.has(marker));
    return {
      citedIn,
      requestId,
      scope,
      conversationId,
      question: message,
      searchQuery,
      messages: assembled.messages,
      citations: assembled.citations,
      passages,
      context: gathered,
      memory: recalled,
      retrieval: retrieved,
      assembled,
      degraded,
      timings: timings as unknown as PrepareTimings,
      remember(answer, figures = {}) {
        outcome ??= (async () => {
          const ok = figures.ok ?? true;
          const markers = new Set(assembled.citations.map((citation) => citation.marker));
          const cited = ok ? citedIn(answer) : [];
          end({ ...figures, ok, passages: markers.size, cited: ok ? cited.length : undefined });
          let remembered = false;
          if (ok && memory && conversationId !== undefined && answer.trim() !== '') {
            try {
              await memory.remember(scope, conversationId, { user: message, assistant: answer });
              remembered = true;
            } catch (error) {
              if (telemetry.active) {
                telemetry.emit({
                  type: 'error',
                  timestamp: Date.now(),
                  scope: telemetryScope,
                  requestId,
                  source: 'assistant',
                  code: 'remember-failed',
                  message: `The turn was not remembered (${error instanceof Error ? error.name : 'error'}).`,
                  retryable: true,
                });
              }
            }
          }
          await parts.flush?.().catch(() => undefined);
          return {
            cited,
            utilisation: markers.size === 0 ? undefined : cited.length / markers.size,
            remembered,
          };
        })();
        return outcome;
      },
      fail(figures = {}) {
        end({ ...figures, ok: false, passages: assembled.citations.length });
      },
    };
  } catch (error) {
    end({ ok: false, passages: 0 });
    throw error;
  }
}
