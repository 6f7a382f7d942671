/**
 * The names trackers record under and summaries read. Counters are integers; histograms hold
 * milliseconds unless the name says otherwise. Names ending in `.` are prefixes completed by a cache
 * kind, a model, an error source or code.
 */
export const COUNTER = {
  requests: 'requests',
  requestsFailed: 'requests.failed',
  requestInputTokens: 'requests.input-tokens',
  requestOutputTokens: 'requests.output-tokens',
  requestPassages: 'requests.passages',
  /** Passages of the requests that reported what their answer cited, and the cited ones among them. */
  requestPassagesMeasured: 'requests.passages-measured',
  requestCitedPassages: 'requests.cited-passages',
  /** Requests answered without some part, and how often each part was left out (`memory`, `knowledge`...). */
  requestsDegraded: 'requests.degraded',
  requestsDegradedByPart: 'requests.degraded.',
  cacheHit: 'cache.hit.',
  cacheMiss: 'cache.miss.',
  cacheStale: 'cache.stale.',
  cacheError: 'cache.error.',
  cacheTokensSaved: 'cache.tokens-saved',
  databaseQueries: 'db.queries',
  databaseSlowQueries: 'db.slow-queries',
  databaseSlowQueriesByName: 'db.slow-query.',
  retrievalSearches: 'retrieval.searches',
  retrievalResults: 'retrieval.results',
  retrievalCached: 'retrieval.cached',
  retrievalEmpty: 'retrieval.empty',
  contextGathers: 'context.gathers',
  contextFailedSources: 'context.failed-sources',
  contextTokensBefore: 'context.tokens-before',
  contextTokensAfter: 'context.tokens-after',
  modelCalls: 'model.calls.',
  modelInputTokens: 'model.input-tokens.',
  modelCachedInputTokens: 'model.cached-input-tokens.',
  modelOutputTokens: 'model.output-tokens.',
  /** Ratings of answers, the positive ones (up, 4 or 5 stars), and the sum of scores in thousandths. */
  feedbackRatings: 'feedback.ratings',
  feedbackPositive: 'feedback.positive',
  feedbackScoreMilli: 'feedback.score-milli',
  /** The same per workspace, kept in the all-workspaces total only (for the operator's table). */
  feedbackRatingsByWorkspace: 'feedback.ratings.ws.',
  feedbackPositiveByWorkspace: 'feedback.positive.ws.',
  /** Memory's suggestions offered, accepted and rejected, by kind (`pattern`, `timing`). */
  suggestionsShown: 'suggestions.shown.',
  suggestionsAccepted: 'suggestions.accepted.',
  suggestionsRejected: 'suggestions.rejected.',
  /** Per experiment variant: `experiment.{figure}.{experiment}/{variant}` (see `experimentCounter`). */
  experimentPrefix: 'experiment.',
  errors: 'errors',
  errorsBySource: 'errors.source.',
  errorsByCode: 'errors.code.',
} as const;

/** The names of the histograms the metrics recorder keeps (durations in ms, token counts). */
export const HISTOGRAM = {
  requestDurationMs: 'request.duration-ms',
  requestTimeToFirstTokenMs: 'request.time-to-first-token-ms',
  databaseDurationMs: 'db.duration-ms',
  retrievalDurationMs: 'retrieval.duration-ms',
  retrievalResults: 'retrieval.results',
  modelDurationMs: 'model.duration-ms',
  contextGatherDurationMs: 'context.gather-duration-ms',
} as const;

/**
 * The name of a per-variant figure: `experiment.requests.top-k/control`; with a `model`, the model is
 * appended after `|` (`experiment.model-input.top-k/control|gpt-4o`). Experiment and variant ids hold
 * no `/` or `|` (the assistant checks them).
 */
export function experimentCounter(figure: string, variantKey: string, model?: string): string {
  return `${COUNTER.experimentPrefix}${figure}.${variantKey}${model === undefined ? '' : `|${model}`}`;
}

/** `top-k/control` for an assignment. */
export function variantKey(experiment: { readonly id: string; readonly variant: string }): string {
  return `${experiment.id}/${experiment.variant}`;
}
