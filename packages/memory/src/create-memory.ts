import {
  defaultTelemetry,
  memoryKeyValueStore,
  parseOptions,
  type Scope,
  type Tokenizer,
} from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import type { NewAction, NewSuggestionFeedback } from './actions/action-history-store';
import { memoryActionHistoryStore } from './actions/memory-action-history-store';
import type { ConsentSettings } from './consent/consent-store';
import { memoryConsentStore } from './consent/memory-consent-store';
import { parseConversationId } from './conversations/conversation-inputs';
import type { ConversationRemoval, ConversationStore } from './conversations/conversation-store';
import { memoryConversationStore } from './conversations/memory-conversation-store';
import { offlineFactExtractor } from './extraction/offline-fact-extractor';
import * as learning from './learning/learning';
import type { AutomationSuggestion } from './learning/patterns/automation-suggestions';
import type { FollowUpTimeSuggestion } from './learning/timing/timing-model';
import type { MemoryContext } from './memory-context';
import { type CreateMemoryOptions, memoryOptionsSchema } from './memory-options';
import { type Consent, type ConsentChange, changeConsent, readConsent } from './privacy/consent';
import { createErasureRegistry, type ErasureHook, type ErasureReceipt } from './privacy/erasure';
import { enforceRetention, type RetentionReceipt } from './privacy/retention';
import { type RecallOptions, recall } from './recall/recall';
import type { RecallResult } from './recall/recall-result';
import { type RememberOptions, type RememberResult, remember, type Turn } from './remember';
import { userScopeKeys } from './scope-guards';
import { createConversationLock } from './session/conversation-lock';
import type { SessionMemory } from './session/session-memory';
import { createSessionMemoryStore } from './session/session-memory-store';
import { extractiveSummarizer } from './summarization/extractive-summarizer';
import type { WorkspaceInsights } from './workspace/aggregate-workspace-patterns';
import { workspaceInsights } from './workspace-insights';

/** What `createMemory` returns: conversations, session memory, learning from actions, consent and erasure. */
export interface Memory {
  /** The conversation store, for listing and paging conversations and messages directly. */
  readonly conversations: ConversationStore;
  /** Stores a turn and updates session memory. Off the request path: await it or hand it to `waitUntil`. */
  remember(
    scope: Scope,
    conversationId: string,
    turn: Turn,
    options?: RememberOptions,
  ): Promise<RememberResult>;
  /** The latest turns, the rolling summary and the current facts, within `maxTokens`. */
  recall(scope: Scope, conversationId: string, options: RecallOptions): Promise<RecallResult>;
  /** The full session memory of a conversation, superseded facts included; undefined when there is none. */
  getSessionMemory(scope: Scope, conversationId: string): Promise<SessionMemory | undefined>;
  /** Deletes a conversation, its messages and its session memory. */
  deleteConversation(
    scope: Scope,
    conversationId: string,
  ): Promise<ConversationRemoval & { sessionMemory: boolean }>;
  recordAction(
    scope: Scope,
    actions: NewAction | readonly NewAction[],
  ): Promise<learning.RecordActionsResult>;
  suggestAutomations(scope: Scope): Promise<AutomationSuggestion[]>;
  suggestFollowUpTime(
    scope: Scope,
    actionType: string,
    options?: learning.SuggestFollowUpTimeOptions,
  ): Promise<FollowUpTimeSuggestion | undefined>;
  recordFeedback(scope: Scope, feedback: NewSuggestionFeedback): Promise<learning.RecordActionsResult>;
  /** Patterns shared by at least `workspace.minUsers` users of the workspace. Takes a workspace scope. */
  workspaceInsights(scope: Scope): Promise<WorkspaceInsights>;
  getConsent(scope: Scope): Promise<Consent>;
  /** Records the user's choice; opting out deletes what was derived under the old choice. */
  setConsent(scope: Scope, change: Partial<ConsentSettings>): Promise<ConsentChange>;
  /** Deletes messages, conversations, actions and feedback older than the retention periods. */
  enforceRetention(scope: Scope): Promise<RetentionReceipt>;
  /** Erases everything of one user, in every store and registered hook. Takes a user scope. */
  eraseUser(scope: Scope): Promise<ErasureReceipt>;
  /** Erases everything of one workspace, its users included. Takes a workspace scope. */
  eraseWorkspace(scope: Scope): Promise<ErasureReceipt>;
  /** Registers what another store must erase (vectors, keyword entries); returns the unregister function. */
  onErase(name: string, hook: ErasureHook): () => void;
  /** Closes the stores memory created itself; stores passed in stay open. */
  close(): Promise<void>;
}

/**
 * Memory for assistants: conversations, per-conversation session memory (entities, superseded facts, a
 * rolling summary), pattern and timing learning, k-anonymous workspace intelligence, consent, retention
 * and erasure. Every store has an embedded default, so `createMemory({ consentDefaults: 'opt-in' })` runs
 * with no services and no keys; pass `drizzleMemoryStores({ db })`, `redisKeyValueStore()` and a model
 * extractor for production. `consentDefaults` has no default: it is the app's choice to make.
 */
export function createMemory(options: CreateMemoryOptions): Memory {
  const settings = parseOptions(memoryOptionsSchema, options, 'createMemory options');
  const owned: { close?(): Promise<void> }[] = [];
  const own = <T extends { close?(): Promise<void> }>(created: T): T => {
    owned.push(created);
    return created;
  };
  const conversations = settings.conversations ?? own(memoryConversationStore());
  const actions = settings.actions ?? own(memoryActionHistoryStore());
  const consent = settings.consent ?? own(memoryConsentStore());
  const keyValue = settings.keyValue ?? own(memoryKeyValueStore());
  const telemetry = settings.telemetry ?? defaultTelemetry();
  const now = () => new Date(settings.now ? settings.now() : Date.now());
  let tokenizer: Promise<Tokenizer> | undefined = settings.tokenizer
    ? Promise.resolve(settings.tokenizer)
    : undefined;

  const context: MemoryContext = {
    conversations,
    actions,
    consent,
    keyValue,
    sessions: createSessionMemoryStore({
      keyValue,
      ttlMs: settings.sessionTtlMs,
      telemetry,
      maxAgeMs: settings.retention.messagesMaxAgeMs,
      now,
    }),
    extractor: settings.extractor ?? offlineFactExtractor(),
    summarizer: settings.summarizer ?? extractiveSummarizer({ tokenizer: settings.tokenizer }),
    telemetry,
    settings,
    withLock: createConversationLock({ keyValue, waitMs: settings.lockWaitMs, ttlMs: 30_000 }),
    tokenizer: () => {
      tokenizer ??= createTokenizer({ encoding: 'o200k_base' });
      return tokenizer;
    },
    consentOf: (scope) => readConsent(context, scope),
    now,
  };
  const erasure = createErasureRegistry();

  return {
    conversations,
    remember: (scope, conversationId, turn, rememberOptions) =>
      remember(context, scope, conversationId, turn, rememberOptions),
    recall: (scope, conversationId, recallOptions) => recall(context, scope, conversationId, recallOptions),
    async getSessionMemory(scope, conversationId) {
      const keys = userScopeKeys(scope, 'getSessionMemory');
      return context.sessions.load(keys.scope, parseConversationId(conversationId));
    },
    async deleteConversation(scope, conversationId) {
      const keys = userScopeKeys(scope, 'deleteConversation');
      const id = parseConversationId(conversationId);
      const removal = await conversations.deleteConversation(keys.scope, id);
      return { ...removal, sessionMemory: await context.sessions.remove(keys.scope, id) };
    },
    recordAction: (scope, newActions) => learning.recordActions(context, scope, newActions),
    suggestAutomations: (scope) => learning.suggestAutomations(context, scope),
    suggestFollowUpTime: (scope, actionType, timingOptions) =>
      learning.suggestFollowUpTime(context, scope, actionType, timingOptions),
    recordFeedback: (scope, feedback) => learning.recordFeedback(context, scope, feedback),
    workspaceInsights: (scope) => workspaceInsights(context, scope),
    getConsent: (scope) => readConsent(context, scope),
    setConsent: (scope, change) => changeConsent(context, scope, change),
    enforceRetention: (scope) => enforceRetention(context, scope),
    eraseUser: (scope) => erasure.erase(context, scope, 'user'),
    eraseWorkspace: (scope) => erasure.erase(context, scope, 'workspace'),
    onErase: (name, hook) => erasure.register(name, hook),
    async close() {
      await Promise.all(owned.map((store) => store.close?.()));
    },
  };
}
