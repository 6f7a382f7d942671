/** Options of one `embed` call. */
export interface EmbedOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * What the texts are: some models embed queries and documents differently. Defaults to `document`.
   */
  readonly purpose?: 'document' | 'query' | undefined;
}

/** The tokens one embedding call read. */
export interface EmbeddingUsage {
  readonly inputTokens: number;
}

/**
 * Turns texts into vectors. Results keep the order of the input; every vector has `dimensions` entries.
 * Empty or whitespace-only texts are refused with a `ValidationError`.
 */
export interface Embedder {
  /** Provider name for telemetry and cache keys, e.g. `openai`, `offline`. */
  readonly provider: string;
  /** Model id, part of every embedding cache key so that a model change never reuses old vectors. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}
