export { MAX_QUERY_LENGTH } from '@neptune/core';
export type {
  AssistantOptions,
  AssistantTimeouts,
  ContextSourceGatherer,
  ConversationMemory,
  FeedbackOptions,
  KnowledgeSource,
} from './assistant-options';
export { type AssistantRequest, MAX_MESSAGE_LENGTH } from './assistant-request';
export { citedMarkers } from './citations';
export { type Assistant, createAssistant } from './create-assistant';
export type { AssistantPart, Degradation, DegradationReport } from './degradation';
export type {
  ExperimentOptions,
  ExperimentVariant,
  VariantOptions,
} from './experiments/experiment-options';
export type { FeedbackHandlerOptions } from './feedback/feedback-handler';
export type { FeedbackInput, FeedbackResult } from './feedback/record-feedback';
export { DEFAULT_FEEDBACK_RETENTION_MS, type StoredFeedback } from './feedback/request-ledger';
export { UnknownRequestError } from './feedback/unknown-request-error';
export {
  type ConversationTurn,
  dependsOnConversation,
  heuristicRewriter,
  type ModelRewriterOptions,
  modelRewriter,
  type QuestionRewriter,
} from './follow-up';
export { type AssistantHandlerOptions, type ChatBody, parseChatBody } from './handler';
export type { AnswerFigures, PreparedRequest, PrepareTimings, TurnOutcome } from './prepare';
export {
  createWorkspaceQuota,
  type QuotaAdmission,
  type QuotaLimit,
  type QuotaUsage,
  type WorkspaceQuota,
  type WorkspaceQuotaOptions,
} from './quota/workspace-quota';
export type { AnswerOutcome, AssistantResponse } from './respond';
export type {
  AnswerChunk,
  AnswerFinishMetadata,
  AnswerMetadata,
  AnswerStartMetadata,
  CitationMetadata,
} from './ui-message-stream';
