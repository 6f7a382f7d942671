import type {
  FactExtractor,
  KeyValueStore,
  Scope,
  Summarizer,
  TelemetryChannel,
  Tokenizer,
} from '@neptune/core';
import type { ActionHistoryStore } from './actions/action-history-store';
import type { ConsentSettings, ConsentStore } from './consent/consent-store';
import type { ConversationStore } from './conversations/conversation-store';
import type { MemorySettings } from './memory-options';
import type { WithConversationLock } from './session/conversation-lock';
import type { SessionMemoryStore } from './session/session-memory-store';

/** What the parts of `createMemory` share: the stores, strategies and settings, resolved once. */
export interface MemoryContext {
  readonly conversations: ConversationStore;
  readonly actions: ActionHistoryStore;
  readonly consent: ConsentStore;
  readonly keyValue: KeyValueStore;
  readonly sessions: SessionMemoryStore;
  readonly extractor: FactExtractor;
  readonly summarizer: Summarizer;
  readonly telemetry: TelemetryChannel;
  readonly settings: MemorySettings;
  readonly withLock: WithConversationLock;
  /** The tokenizer, loaded on first use (its tables take ~100 ms to parse). */
  tokenizer(): Promise<Tokenizer>;
  /** The user's consent: their choice, or the defaults; cached briefly in the key-value store. */
  consentOf(scope: Scope): Promise<ConsentSettings>;
  now(): Date;
}
