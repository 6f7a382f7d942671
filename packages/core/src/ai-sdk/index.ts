/**
 * Vercel AI SDK interop: Neptune models as AI SDK models and the other way round, so an AI SDK app can
 * adopt Neptune one piece at a time. Needs `@ai-sdk/provider` (installed with `ai`).
 */
export {
  type FromAiSdkOptions,
  type FromEmbeddingModelOptions,
  fromEmbeddingModel,
  fromLanguageModel,
} from './from-ai-sdk';
export { toLanguageModel } from './to-language-model';
