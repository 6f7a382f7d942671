export {
  type AssembledCitation,
  type AssembledContext,
  type AssembledElement,
  assembleContext,
  type DroppedElement,
} from './assemble-context';
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
} from './assemble-context-input';
export type { ContextCitation, ContextItem, ContextItemInput, ContextSignals } from './context-item';
export { countChatTokens } from './count-chat-tokens';
export {
  type ContextGatherer,
  type ContextGathererOptions,
  createContextGatherer,
  DEFAULT_SOURCE_TIMEOUT_MS,
  type GatheredContext,
  type GatherOptions,
} from './create-context-gatherer';
export {
  createQueryInstrumentation,
  DEFAULT_SLOW_QUERY_MS,
  type InstrumentableQuery,
  type InstrumentQuery,
  type QueryCallOptions,
  type QueryInstrumentationOptions,
  type QueryLogger,
  type SqlStatement,
} from './create-query-instrumentation';
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
} from './define-context-source';
export type { SourceOutcome } from './gather-source';
export { type PgExplainAnalyzeOptions, type PgPoolLike, pgExplainAnalyze } from './pg-explain-analyze';
export {
  type ContextItemScore,
  type ScoreContextItemsOptions,
  type ScoredContextItem,
  type ScoreParts,
  scoreContextItems,
} from './score-context-items';
export {
  DEFAULT_PRIORITY_WEIGHTS,
  DEFAULT_SCORE_WEIGHTS,
  type ScoreWeights,
  type ScoringOptions,
} from './scoring-options';
