// Query instrumentation lives with the rest of the Postgres plumbing in `@neptune/core/postgres`; it is
// re-exported here so `@neptune/context` keeps the names it has always exported.
export {
  createQueryInstrumentation,
  DEFAULT_SLOW_QUERY_MS,
  type InstrumentableQuery,
  type InstrumentQuery,
  type PgExplainAnalyzeOptions,
  type PgPoolLike,
  pgExplainAnalyze,
  type QueryCallOptions,
  type QueryInstrumentationOptions,
  type QueryLogger,
  type SqlStatement,
} from '@neptune/core/postgres';
export {
  type AssembledCitation,
  type AssembledContext,
  type AssembledElement,
  assembleContext,
  type DroppedElement,
} from './assemble/assemble-context';
export {
  type AssembleContextInput,
  type BudgetShares,
  type ContextBudget,
  DEFAULT_FULL_DETAIL_ITEMS,
  DEFAULT_INSTRUCTIONS,
  DEFAULT_MAX_TOKENS,
  DEFAULT_SHARES,
  type MemoryInput,
  type MemoryMessageInput,
  type PassageInput,
} from './assemble/assemble-context-input';
export { countChatTokens } from './assemble/count-chat-tokens';
export type { ContextCitation, ContextItem, ContextItemInput, ContextSignals } from './context-item';
export {
  type ContextGatherer,
  type ContextGathererOptions,
  createContextGatherer,
  DEFAULT_SOURCE_TIMEOUT_MS,
  type GatheredContext,
  type GatherOptions,
} from './gather/create-context-gatherer';
export {
  type ContextSource,
  type ContextSourceOptions,
  DEFAULT_LOAD_TIMEOUT_MS,
  DEFAULT_SOURCE_LIMIT,
  defineContextSource,
  MAX_SOURCE_LIMIT,
  type QuerySourceLoadContext,
  type QuerySourceOptions,
  type ScopeSourceOptions,
  type SourceLoadContext,
} from './gather/define-context-source';
export type { SourceOutcome } from './gather/gather-source';
export {
  type ContextItemScore,
  type ScoreContextItemsOptions,
  type ScoredContextItem,
  type ScoreParts,
  scoreContextItems,
} from './score/score-context-items';
export {
  DEFAULT_PRIORITY_WEIGHTS,
  DEFAULT_SCORE_WEIGHTS,
  type ScoreWeights,
  type ScoringOptions,
} from './score/scoring-options';
