export type {
  ActionHistoryRemoval,
  ActionHistoryStore,
  ActionRecord,
  ListActionsOptions,
  ListFeedbackOptions,
  ListWorkspaceActionsOptions,
  NewAction,
  NewSuggestionFeedback,
  SuggestionFeedback,
  SuggestionKind,
} from './actions/action-history-store';
export { memoryActionHistoryStore } from './actions/memory-action-history-store';
export type { ConsentRecord, ConsentSettings, ConsentStore } from './consent/consent-store';
export { memoryConsentStore } from './consent/memory-consent-store';
export { DEFAULT_MESSAGE_WINDOW } from './conversations/conversation-inputs';
export type {
  Conversation,
  ConversationRemoval,
  ConversationStore,
  ListConversationsOptions,
  ListMessagesOptions,
  NewConversation,
  NewMessage,
  Page,
  StoredMessage,
} from './conversations/conversation-store';
export { memoryConversationStore } from './conversations/memory-conversation-store';
export { createMemory, type Memory } from './create-memory';
export { subjectsMatch } from './extraction/fact-subject';
export { type ModelFactExtractorOptions, modelFactExtractor } from './extraction/model-fact-extractor';
export { type OfflineFactExtractorOptions, offlineFactExtractor } from './extraction/offline-fact-extractor';
export type { RecordActionsResult, SuggestFollowUpTimeOptions } from './learning/learning';
export type { AutomationSuggestion } from './learning/patterns/automation-suggestions';
export {
  type DetectWorkflowPatternsOptions,
  detectWorkflowPatterns,
  type TimedAction,
  type WorkflowPattern,
} from './learning/patterns/detect-workflow-patterns';
export { hourOfWeek } from './learning/timing/hour-of-week';
export type { FollowUpTimeSuggestion } from './learning/timing/timing-model';
export { type ConsentDefaults, type CreateMemoryOptions, MEMORY_DEFAULTS } from './memory-options';
export type { Consent, ConsentChange } from './privacy/consent';
export type { ErasureHook, ErasureReceipt, ErasureReceiptLine } from './privacy/erasure';
export { ERASURE_NOT_COVERED, erasureDigest } from './privacy/erasure-receipt';
export type { RetentionReceipt } from './privacy/retention';
export type { RecallOptions } from './recall/recall';
export type { RecallResult, RecallTokens } from './recall/recall-result';
export type { RememberOptions, RememberResult, Turn } from './remember';
export type { MemoryExtractedFact } from './session/merge-extraction';
export {
  currentFacts,
  type MemoryEntity,
  type MemoryFact,
  type SessionMemory,
} from './session/session-memory';
export {
  type ExtractiveSummarizerOptions,
  extractiveSummarizer,
} from './summarization/extractive-summarizer';
export { type ModelSummarizerOptions, modelSummarizer } from './summarization/model-summarizer';
export type { WorkspaceInsights, WorkspacePattern } from './workspace/aggregate-workspace-patterns';
export { redactPersonalData } from './workspace/redact-personal-data';
