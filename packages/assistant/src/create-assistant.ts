import { memoryKeyValueStore } from '@neptune/cache';
import {
  ConfigurationError,
  defaultTelemetry,
  type ExperimentAssignment,
  type Scope,
  type TelemetryChannel,
  type Tokenizer,
  validateScope,
} from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import { createKnowledgeBase } from '@neptune/rag';
import {
  type AssistantOptions,
  type AssistantSettings,
  type ContextSourceGatherer,
  type ConversationMemory,
  type KnowledgeSource,
  parseAssistantOptions,
} from './assistant-options';
import { type AssistantRequest, resolveRequest } from './assistant-request';
import { assignVariant } from './experiments/assign-variant';
import type { ExperimentOptions } from './experiments/experiment-options';
import { createFeedbackHandler, type FeedbackHandlerOptions } from './feedback/feedback-handler';
import { type FeedbackInput, type FeedbackResult, recordFeedback } from './feedback/record-feedback';
import { DEFAULT_FEEDBACK_RETENTION_MS, RequestLedger, type StoredFeedback } from './feedback/request-ledger';
import { heuristicRewriter, modelRewriter, type QuestionRewriter } from './follow-up';
import { type AssistantHandlerOptions, createHandler } from './handler';
import { type PreparedRequest, type PrepareParts, prepareRequest } from './prepare';
import { type AnswerSettings, type AssistantResponse, createResponse } from './respond';

/** The request flow of an assistant: `prepare` (up to the model), `respond` (streamed), `handler` (a route). */
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
  /** The experiment variant a scope's requests run under; undefined without an experiment. */
  variantOf(scope: Scope): ExperimentAssignment | undefined;
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

/** The stores and channel every variant shares. */
interface SharedParts {
  readonly knowledge: KnowledgeSource | undefined;
  readonly memory: ConversationMemory | undefined;
  readonly ledger: RequestLedger | undefined;
  readonly telemetry: TelemetryChannel;
  readonly tokenizer: () => Promise<Tokenizer>;
}

/** One configuration, ready to run: what `prepare` and the model call need. */
interface Runtime {
  readonly parts: PrepareParts;
  readonly answer: AnswerSettings;
}

function runtimeFor(settings: AssistantSettings, shared: SharedParts): Runtime {
  const { telemetry } = shared;
  return {
    parts: {
      knowledge: shared.knowledge,
      knowledgeScope: knowledgeScopeOf(settings.knowledgeScope),
      retrieve: { topK: 4, minRelativeScore: 0.5, ...settings.retrieve },
      gatherer: settings.gatherer,
      memory: shared.memory,
      recallTokens: settings.recallTokens,
      rewriter: resolveRewriter(settings.rewrite, settings.model),
      tokenizer: settings.tokenizer ? () => Promise.resolve(settings.tokenizer!) : shared.tokenizer,
      assemble: {
        budget: { maxTokens: 6_000, ...settings.budget },
        instructions: settings.instructions,
        timeZone: settings.timeZone,
        measureUnpruned: settings.measureUnpruned,
      },
      timeouts: settings.timeouts,
      // The variants share the quota object, so a workspace's requests count once whatever the variant.
      quota: settings.quota,
      route: settings.route,
      flush: settings.flush,
      telemetry,
      ledger: shared.ledger,
    },
    answer: {
      model: settings.model,
      fallbackModel:
        settings.fallbackModel === false
          ? undefined
          : (settings.fallbackModel ??
            (settings.model.provider === 'offline' ? undefined : extractiveChatModel({ telemetry }))),
      firstTokenTimeoutMs: settings.timeouts.firstToken,
      maxOutputTokens: settings.maxOutputTokens,
      temperature: settings.temperature,
    },
  };
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
  const shared: SharedParts = {
    knowledge,
    memory,
    ledger,
    telemetry,
    tokenizer: () => {
      tokenizer ??= createTokenizer({ encoding: 'o200k_base' });
      return tokenizer;
    },
  };
  const control = runtimeFor(settings, shared);
  const experiment = settings.experiment as ExperimentOptions | undefined;
  // Each variant is the assistant's own options with the variant's changes, on the same stores.
  const variants = new Map(
    (experiment?.variants ?? []).map((variant) => [
      variant.id,
      variant.options === undefined
        ? control
        : runtimeFor(
            parseAssistantOptions({
              ...options,
              ...variant.options,
              retrieve: { ...options.retrieve, ...variant.options.retrieve },
              budget: { ...options.budget, ...variant.options.budget } as AssistantOptions['budget'],
              experiment: undefined,
            }),
            shared,
          ),
    ]),
  );
  const route = (scope: Scope): { runtime: Runtime; assignment: ExperimentAssignment | undefined } => {
    if (experiment === undefined) return { runtime: control, assignment: undefined };
    const variant = assignVariant(experiment, scope);
    return {
      runtime: variants.get(variant.id) ?? control,
      assignment: { id: experiment.id, variant: variant.id },
    };
  };

  const prepare = async (request: AssistantRequest) => {
    const resolved = resolveRequest(request);
    const { runtime, assignment } = route(resolved.scope);
    return prepareRequest(runtime.parts, resolved, assignment);
  };
  const respond = async (request: AssistantRequest) => {
    const resolved = resolveRequest(request);
    const { runtime, assignment } = route(resolved.scope);
    return createResponse(
      await prepareRequest(runtime.parts, resolved, assignment),
      runtime.answer,
      resolved.signal,
    );
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
    variantOf: (scope) =>
      experiment === undefined
        ? undefined
        : { id: experiment.id, variant: assignVariant(experiment, validateScope(scope)).id },
    recordFeedback: feedback,
    listFeedback: async (scope, listOptions) =>
      requireLedger().listFeedback(validateScope(scope), Math.min(listOptions?.limit ?? 100, 1_000)),
    feedbackHandler: (handlerOptions) => createFeedbackHandler(feedback, handlerOptions, settings.flush),
  };
}
