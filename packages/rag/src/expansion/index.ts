export { type ModelQueryExpanderOptions, modelQueryExpander } from './model-query-expander';
export type { FeedbackWeighting } from './relevance-model';
export { type Rm3QueryExpanderOptions, rm3QueryExpander } from './rm3-query-expander';
