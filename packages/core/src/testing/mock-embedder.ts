import type { Embedder, EmbedOptions } from '../contracts/embedder';
import { offlineEmbedder } from '../offline/offline-embedder';

/** One recorded call of a mock embedder: the texts and their purpose. */
export interface MockEmbedderCall {
  readonly texts: readonly string[];
  readonly purpose: EmbedOptions['purpose'];
}

export interface MockEmbedder extends Embedder {
  /** Every call, in order, with the texts it received. */
  readonly calls: MockEmbedderCall[];
  /** Total texts embedded over all calls. */
  readonly embeddedCount: number;
  /** Makes the next `count` calls reject with `error` (default 1), to test fallbacks. */
  failNext(error: Error, count?: number): void;
  reset(): void;
}

/** Options of `mockEmbedder`. */
export interface MockEmbedderOptions {
  readonly dimensions?: number | undefined;
  /** Computes vectors; default: the deterministic offline embedder, so neighbours stay meaningful. */
  readonly embed?: ((texts: readonly string[]) => Promise<Float32Array[]> | Float32Array[]) | undefined;
  /** Delay in milliseconds before each call resolves, to test timeouts. */
  readonly delayMs?: number | undefined;
  readonly model?: string | undefined;
}

/** A recording `Embedder` for tests: counts calls and texts, can be told to fail or be slow. */
export function mockEmbedder(options: MockEmbedderOptions = {}): MockEmbedder {
  const dimensions = options.dimensions ?? 64;
  const fallback = offlineEmbedder({ dimensions });
  const calls: MockEmbedderCall[] = [];
  const failures: Error[] = [];
  let embeddedCount = 0;
  return {
    provider: 'mock',
    model: options.model ?? `mock-${dimensions}`,
    dimensions,
    calls,
    get embeddedCount() {
      return embeddedCount;
    },
    failNext(error, count = 1) {
      for (let index = 0; index < count; index++) failures.push(error);
    },
    reset() {
      calls.length = 0;
      failures.length = 0;
      embeddedCount = 0;
    },
    async embed(texts, embedOptions) {
      calls.push({ texts: [...texts], purpose: embedOptions?.purpose });
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const failure = failures.shift();
      if (failure) throw failure;
      embeddedCount += texts.length;
      return options.embed ? options.embed(texts) : fallback.embed(texts, embedOptions);
    },
  };
}
