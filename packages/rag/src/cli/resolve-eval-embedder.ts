import { ConfigurationError, type Embedder } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';

export interface ResolveEvalEmbedderOptions {
  readonly kind: 'auto' | 'offline' | 'openai';
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The embedder of the configurations with a vector leg: OpenAI when asked, or with `auto` when
 * `OPENAI_API_KEY` is set; otherwise the offline embedder. The OpenAI module is loaded only then, so the
 * command works without the `openai` package installed.
 */
export async function resolveEvalEmbedder(options: ResolveEvalEmbedderOptions): Promise<Embedder> {
  const apiKey = options.env.OPENAI_API_KEY;
  const useOpenAI = options.kind === 'openai' || (options.kind === 'auto' && Boolean(apiKey));
  if (!useOpenAI) return offlineEmbedder();
  if (!apiKey) {
    throw new ConfigurationError({
      message:
        '--embedder openai needs an API key: set OPENAI_API_KEY, or run with --embedder offline (the default without a key).',
    });
  }
  let module: typeof import('@neptune/core/openai');
  try {
    module = await import('@neptune/core/openai');
  } catch (error) {
    throw new ConfigurationError({
      message: `OPENAI_API_KEY is set, but the OpenAI embedder could not be loaded (${(error as Error).message}). Install the openai package (npm install openai), or run with --embedder offline.`,
      cause: error,
    });
  }
  return module.openaiEmbedder({ apiKey, baseURL: options.env.OPENAI_BASE_URL || undefined });
}
