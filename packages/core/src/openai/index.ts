export { estimateTokens } from '../text/estimate-tokens';
export { type OpenAIChatModel, type OpenAIChatModelOptions, openaiChatModel } from './openai-chat-model';
export { type OpenAIEmbedder, type OpenAIEmbedderOptions, openaiEmbedder } from './openai-embedder';
export type { StructuredOutputMode } from './structured-response-format';
