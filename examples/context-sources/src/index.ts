export { agentsSource } from './agents-source';
export {
  type AssistantContextOptions,
  type BuildMessagesOptions,
  createAssistantContext,
} from './assistant-context';
export { calendarSource } from './calendar-source';
export { createContextSources } from './context-sources';
export { conversationWindow } from './conversation-window';
export { conversationsSource } from './conversations-source';
export { crmSearchSource } from './crm-search-source';
export { crmSource } from './crm-source';
export { openDatabase } from './database';
export { createExampleApp, type ExampleApp, type ExampleAppOptions } from './example-app';
export { financeSource } from './finance-source';
export { marketingSource } from './marketing-source';
export { matchCount, searchTerms } from './name-search';
export * from './records';
export { scheduleSearchSource } from './schedule-search-source';
export * as schema from './schema';
export { allTables, createIndexesSql, createTablesSql } from './schema-sql';
export type { SourceDependencies } from './source-dependencies';
export { tasksSource } from './tasks-source';
