export {
  type ExtractiveChatModelOptions,
  type ExtractivePassage,
  extractiveChatModel,
  parseNumberedPassages,
  selectAnswerSentences,
} from './extractive-chat-model';
export { type OfflineEmbedderOptions, offlineEmbedder } from './offline-embedder';
