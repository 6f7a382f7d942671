import type { Embedder, EmbedOptions, KeyValueStore, Scope } from '@neptune/core';
import { sha256Hex } from '@neptune/core';

/** Options of `cachedEmbedder`: where vectors are cached, for which scope, and for how long. */
export interface CachedEmbedderOptions {
  /** Where vectors are kept, scoped like everything else. */
  readonly store: KeyValueStore;
  readonly scope: Scope;
  /** How long a cached vector lives. Default 30 days: a model's vector for a text never changes. */
  readonly ttlMs?: number | undefined;
}

export interface CachedEmbedder extends Embedder {
  /** Texts answered from the cache and texts sent to the model, since creation. */
  readonly stats: { hits: number; misses: number };
}

// base64 through btoa/atob rather than Buffer, so the cache also runs on the edge runtime.
function encodeVector(vector: Float32Array): string {
  const bytes = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

function decodeVector(text: string, dimensions: number): Float32Array | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  if (binary.length !== dimensions * 4) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return new Float32Array(bytes.buffer);
}

/**
 * Wraps an embedder with a key-value cache keyed by model, purpose and the text's SHA-256, so unchanged
 * chunks and repeated queries cost no embedding call. Only the misses of a batch go to the model, in one
 * call, and the results are put back in input order.
 */
export function cachedEmbedder(embedder: Embedder, options: CachedEmbedderOptions): CachedEmbedder {
  const ttlMs = options.ttlMs ?? 30 * 24 * 60 * 60 * 1000;
  const stats = { hits: 0, misses: 0 };
  const namespace = `emb:${embedder.provider}:${embedder.model}:${embedder.dimensions}`;
  return {
    provider: embedder.provider,
    model: embedder.model,
    dimensions: embedder.dimensions,
    stats,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions) {
      const purpose = embedOptions?.purpose ?? 'document';
      const keys = await Promise.all(
        texts.map(async (text) => `${namespace}:${purpose}:${await sha256Hex(text)}`),
      );
      let cached: Array<string | undefined>;
      try {
        cached = await options.store.getMany(options.scope, keys);
      } catch {
        // A cache that is down costs embedding calls, never the ingestion.
        cached = keys.map(() => undefined);
      }
      const vectors: Array<Float32Array | undefined> = cached.map((value) =>
        value === undefined ? undefined : decodeVector(value, embedder.dimensions),
      );
      const missing = vectors.flatMap((vector, index) => (vector === undefined ? [index] : []));
      stats.hits += texts.length - missing.length;
      stats.misses += missing.length;
      if (missing.length > 0) {
        const fresh = await embedder.embed(
          missing.map((index) => texts[index]!),
          embedOptions,
        );
        await Promise.all(
          missing.map(async (index, position) => {
            vectors[index] = fresh[position]!;
            await options.store
              .set(options.scope, keys[index]!, encodeVector(fresh[position]!), { ttlMs })
              .catch(() => undefined);
          }),
        );
      }
      return vectors as Float32Array[];
    },
  };
}
