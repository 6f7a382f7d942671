export { type CohereRerankerOptions, cohereReranker } from './cohere-reranker';
export { type ModelRerankerOptions, modelReranker } from './model-reranker';
export {
  type OfflineRerankerOptions,
  type OfflineRerankerWeights,
  offlineReranker,
} from './offline-reranker';
