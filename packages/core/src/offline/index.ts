export { type OfflineEmbedderOptions, offlineEmbedder } from './offline-embedder';
