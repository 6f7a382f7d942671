import { openaiChatModel } from '@neptune/core/openai';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@neptune/core/testing';

/** The real OpenAI chat model on the `openai` client, pointed at an OpenAI-compatible server on 127.0.0.1. */
export async function createOpenAICompatibleModelFixture(): Promise<{
  server: OpenAICompatibleServer;
  model: ReturnType<typeof openaiChatModel>;
  close(): Promise<void>;
}> {
  const server = await startOpenAICompatibleServer();
  const model = openaiChatModel({ apiKey: 'test', baseURL: server.url, model: 'gpt-4o-mini', maxRetries: 0 });
  return { server, model, close: () => server.close() };
}
