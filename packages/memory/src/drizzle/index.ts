export type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
export {
  type DrizzleActionHistoryStoreOptions,
  drizzleActionHistoryStore,
} from './drizzle-action-history-store';
export { type DrizzleConsentStoreOptions, drizzleConsentStore } from './drizzle-consent-store';
export { type DrizzleConversationStoreOptions, drizzleConversationStore } from './drizzle-conversation-store';
export { type DrizzleMemoryStoresOptions, drizzleMemoryStores } from './drizzle-memory-stores';
export type { EmbeddedMigration } from './embedded-migration';
export { type MigrateOptions, type MigrateResult, migrate, type RollbackOptions, rollback } from './migrate';
export { memoryMigrations } from './migrations';
export {
  actionHistoryTable,
  conversationsTable,
  memoryConsentTable,
  messagesTable,
  suggestionFeedbackTable,
} from './schema';
