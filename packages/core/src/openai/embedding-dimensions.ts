import { ConfigurationError } from '../errors';

/** OpenAI's embedding models: native vector length, and whether the API can shorten it (`dimensions`). */
const KNOWN_MODELS: Readonly<Record<string, { dimensions: number; shortenable: boolean }>> = {
  'text-embedding-3-small': { dimensions: 1536, shortenable: true },
  'text-embedding-3-large': { dimensions: 3072, shortenable: true },
  'text-embedding-ada-002': { dimensions: 1536, shortenable: false },
};

export interface EmbeddingDimensions {
  readonly dimensions: number;
  /** Whether to send `dimensions` in the request (only text-embedding-3 models accept it). */
  readonly sendToApi: boolean;
}

/**
 * The vector length an embedder promises. For OpenAI's models it is known; for another model on an
 * OpenAI-compatible endpoint the caller must state it, and every response is checked against it.
 */
export function resolveEmbeddingDimensions(
  model: string,
  requested: number | undefined,
): EmbeddingDimensions {
  const known = KNOWN_MODELS[model];
  if (known === undefined) {
    if (requested === undefined) {
      throw new ConfigurationError({
        message: `openaiEmbedder: the vector length of model "${model}" is unknown. Pass the \`dimensions\` option with the length the model returns.`,
        details: { model },
      });
    }
    return { dimensions: requested, sendToApi: model.startsWith('text-embedding-3') };
  }
  if (requested === undefined) return { dimensions: known.dimensions, sendToApi: false };
  if (requested > known.dimensions || (!known.shortenable && requested !== known.dimensions)) {
    const allowed = known.shortenable ? `1 to ${known.dimensions}` : `${known.dimensions} only`;
    throw new ConfigurationError({
      message: `openaiEmbedder: model "${model}" cannot return ${requested}-dimensional vectors (allowed: ${allowed}). Change the \`dimensions\` option or the model.`,
      details: { model, dimensions: requested },
    });
  }
  return { dimensions: requested, sendToApi: known.shortenable };
}
