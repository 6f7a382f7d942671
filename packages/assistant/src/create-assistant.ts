import { memoryKeyValueStore } from '@neptune/cache';
import {
  ConfigurationError,
  defaultTelemetry,
  type Scope,
  type Tokenizer,
  validateScope,
} from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import { createKnowledgeBase } from '@neptune/rag';
import {
  type AssistantOptions,
  type ContextSourceGatherer,
  type ConversationMemory,
  type KnowledgeSource,
  parseAssistantOptions,
} from './assistant-options';
import { type AssistantRequest, resolveRequest } from './assistant-request';
import { createFeedbackHandler, type FeedbackHandlerOptions } from './feedback/feedback-handler';
import { type FeedbackInput, type FeedbackResult, recordFeedback } from './feedback/record-feedback';
import { DEFAULT_FEEDBACK_RETENTION_MS, RequestLedger, type StoredFeedback } from './feedback/request-ledger';
import { heuristicRewriter, modelRewriter, type QuestionRewriter } from './follow-up';
import { type AssistantHandlerOptions, createHandler } from './handler';
import { type PreparedRequest, type PrepareParts, prepareRequest } from './prepare';
import { type AssistantResponse, createResponse } from './respond';

export interface Assistant {
  /** The parts the assistant runs on, defaults included. */
  readonly knowledge: KnowledgeSource | undefined;
  readonly gatherer: ContextSourceGatherer | undefined;
  readonly memory: ConversationMemory | undefined;
  /**
   * Gathers app context, retrieves and recalls in parallel (each under its own deadline: a part that
   * fails is left out and reported in `degraded`), rewrites a follow-up question, and assembles the
   * prompt. For callers who run the model themselves: call `remember(answer)` afterwards.
   */
  prepare(request: AssistantRequest): Promise<PreparedRequest>;
  /** `prepare`, then the model: a streaming answer for `useChat`, a plain text stream, or the text. */
  respond(request: AssistantRequest): Promise<AssistantResponse>;
  /** The chat route: `export const POST = assistant.handler({ resolveScope })`. */
  handler(options: AssistantHandlerOptions): (request: Request) => Promise<Response>;
  /**
   * Records a user's rating of an answer they received (`UnknownRequestError` for any other request id,
   * another workspace's included; a `conflict` error when it was rated already). Counted as satisfaction
   * in the metrics; the comment stays in the workspace's store.
   */
  recordFeedback(input: FeedbackInput): Promise<FeedbackResult>;
  /** The workspace's ratings with their comments, newest first: for the workspace's own admins. */
  listFeedback(scope: Scope, options?: { readonly limit?: number }): Promise<StoredFeedback[]>;
  /** The feedback route: `export const POST = assistant.feedbackHandler({ resolveScope })`. */
  feedbackHandler(options: FeedbackHandlerOptions): (request: Request) => Promise<Response>;
}

function resolveRewriter(
  option: AssistantOptions['rewrite'] | 'auto',
  model: AssistantOptions['model'],
): QuestionRewriter | undefined {
  if (option === false) return undefined;
  if (typeof option === 'object') return option;
  if (option === 'heuristic' || (option === 'auto' && model.provider === 'offline'))
    return heuristicRewriter();
  return modelRewriter({ model });
}

function knowledgeScopeOf(option: 'workspace' | 'user' | ((scope: Scope) => Scope)): (scope: Scope) => Scope {
  if (typeof option === 'function') return option;
  return option === 'user' ? (scope) => scope : (scope) => ({ workspaceId: scope.workspaceId });
}

/**
 * The assistant request flow as one object: app context, knowledge and conversation memory gathered in
 * parallel, assembled to one token budget, answered with citations by the model, and the turn
 * remembered; `request-start`/`request-end` emitted once. Every part is optional but the model; each runs
 * on its embedded default (in-memory knowledge and memory) unless given, and each can be swapped.
 */
export function createAssistant(options: AssistantOptions): Assistant {
  const settings = parseAssistantOptions(options);
  const telemetry = settings.telemetry ?? defaultTelemetry();
  const knowledge =
    settings.knowledge === false ? undefined : (settings.knowledge ?? createKnowledgeBase({ telemetry }));
  // The embedded memory keeps each conversation's turns and extracts facts only from users who agreed
  // (`memory.setConsent`): the privacy-safe choice, which an app that passes its own memory makes itself.
  const memory =
    settings.memory === false
      ? undefined
      : (settings.memory ?? createMemory({ consentDefaults: 'opt-in', telemetry }));
  const ledger =
    settings.feedback === false
      ? undefined
      : new RequestLedger(
          settings.feedback?.store ?? memoryKeyValueStore(),
          settings.feedback?.retentionMs ?? DEFAULT_FEEDBACK_RETENTION_MS,
        );
  let tokenizer: Promise<Tokenizer> | undefined = settings.tokenizer
    ? Promise.resolve(settings.tokenizer)
    : undefined;
  const parts: PrepareParts = {
    knowledge,
    knowledgeScope: knowledgeScopeOf(settings.knowledgeScope),
    retrieve: { topK: 4, minRelativeScore: 0.5, ...settings.retrieve },
    gatherer: settings.gatherer,
    memory,
    recallTokens: settings.recallTokens,
    rewriter: resolveRewriter(settings.rewrite, settings.model),
    tokenizer: () => {
      tokenizer ??= createTokenizer({ encoding: 'o200k_base' });
      return tokenizer;
    },
    assemble: {
      budget: { maxTokens: 6_000, ...settings.budget },
      instructions: settings.instructions,
      timeZone: settings.timeZone,
      measureUnpruned: settings.measureUnpruned,
    },
    timeouts: settings.timeouts,
    route: settings.route,
    flush: settings.flush,
    telemetry,
    ledger,
  };
  const answer = {
    model: settings.model,
    fallbackModel:
      settings.fallbackModel === false
        ? undefined
        : (settings.fallbackModel ??
          (settings.model.provider === 'offline' ? undefined : extractiveChatModel({ telemetry }))),
    firstTokenTimeoutMs: settings.timeouts.firstToken,
    maxOutputTokens: settings.maxOutputTokens,
    temperature: settings.temperature,
  };

  const prepare = async (request: AssistantRequest) => prepareRequest(parts, resolveRequest(request));
  const respond = async (request: AssistantRequest) => {
    const resolved = resolveRequest(request);
    return createResponse(await prepareRequest(parts, resolved), answer, resolved.signal);
  };
  const requireLedger = (): RequestLedger => {
    if (ledger === undefined) {
      throw new ConfigurationError({
        message:
          'Feedback is off (createAssistant({ feedback: false })): pass feedback: {} or feedback: { store } to rate answers.',
      });
    }
    return ledger;
  };
  const feedback = (input: FeedbackInput) => recordFeedback({ ledger: requireLedger(), telemetry }, input);
  return {
    knowledge,
    gatherer: settings.gatherer,
    memory,
    prepare,
    respond,
    handler: (handlerOptions) => createHandler({ respond, telemetry }, handlerOptions),
    recordFeedback: feedback,
    listFeedback: async (scope, listOptions) =>
      requireLedger().listFeedback(validateScope(scope), Math.min(listOptions?.limit ?? 100, 1_000)),
    feedbackHandler: (handlerOptions) => createFeedbackHandler(feedback, handlerOptions, settings.flush),
  };
}
