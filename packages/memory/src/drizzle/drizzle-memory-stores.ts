import type { TelemetryChannel } from '@neptune/core';
import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import type { ActionHistoryStore } from '../actions/action-history-store';
import type { ConsentStore } from '../consent/consent-store';
import type { ConversationStore } from '../conversations/conversation-store';
import { drizzleActionHistoryStore } from './drizzle-action-history-store';
import { drizzleConsentStore } from './drizzle-consent-store';
import { drizzleConversationStore } from './drizzle-conversation-store';

/** Options of `drizzleMemoryStores`: one database for the conversation, action history and consent stores. */
export interface DrizzleMemoryStoresOptions {
  readonly db: PostgresDatabase;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
}

/** The three relational stores of memory on one database, ready to spread into `createMemory()`. */
export function drizzleMemoryStores(options: DrizzleMemoryStoresOptions): {
  conversations: ConversationStore;
  actions: ActionHistoryStore;
  consent: ConsentStore;
} {
  return {
    conversations: drizzleConversationStore(options),
    actions: drizzleActionHistoryStore(options),
    consent: drizzleConsentStore(options),
  };
}
