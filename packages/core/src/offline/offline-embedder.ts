import { z } from 'zod';
import { throwIfAborted } from '../async';
import type { Embedder, EmbedOptions } from '../contracts/embedder';
import { parseInput, parseOptions } from '../validation';
import { fnv1a } from './hashing';
import { analyzeWords } from './text-features';

const optionsShape = {
  /** Vector length. Default 1536, the shape of OpenAI text-embedding-3-small, so a store created offline takes real embeddings later without a schema change; more dimensions mean fewer hash collisions. */
  dimensions: z.number().int().min(16).max(8192).default(1536),
  /** Weight of word pairs relative to single words. Default 0.5. */
  bigramWeight: z.number().min(0).max(4).default(0.5),
  /** Weight of character n-grams (3 to 5) relative to single words; they catch morphology and typos. Default 0.35. */
  characterWeight: z.number().min(0).max(4).default(0.35),
  /** Varies the hash functions, so two embedders can be made independent. Default 0. */
  seed: z.number().int().min(0).default(0),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `offlineEmbedder`. */
export type OfflineEmbedderOptions = z.input<typeof optionsSchema>;

const textsSchema = z.array(
  z
    .string()
    .refine(
      (text) => text.trim().length > 0,
      'must not be empty or whitespace only: there is nothing to embed',
    ),
);

/**
 * A deterministic embedder that needs no model, no key and no network: hashed features of words, word
 * pairs and character n-grams, with sublinear term frequency, L2-normalised. Texts that share words,
 * stems or spellings land near each other, so nearest neighbours are meaningful on real text, though
 * it knows no synonyms. It is the no-key default for demos and tests; use a real model in production.
 */
export function offlineEmbedder(options: OfflineEmbedderOptions = {}): Embedder {
  const { dimensions, bigramWeight, characterWeight, seed } = parseOptions(
    optionsSchema,
    options,
    'offlineEmbedder options',
  );
  const hashSeed = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;

  function add(vector: Float32Array, feature: string, weight: number): void {
    const hash = fnv1a(feature, hashSeed);
    // The top bit picks a sign, so collisions cancel on average instead of piling up (signed feature hashing).
    vector[hash % dimensions]! += hash & 0x80000000 ? -weight : weight;
  }

  function embedOne(text: string): Float32Array {
    const vector = new Float32Array(dimensions);
    const words = analyzeWords(text);
    const counts = new Map<string, number>();
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    for (const [word, count] of counts) {
      const weight = 1 + Math.log(count);
      add(vector, `w:${word}`, weight);
      if (characterWeight > 0 && word.length > 3) {
        const padded = `<${word}>`;
        const grams: string[] = [];
        for (let size = 3; size <= 5; size++) {
          for (let start = 0; start + size <= padded.length; start++)
            grams.push(padded.slice(start, start + size));
        }
        const share = (characterWeight * weight) / Math.sqrt(grams.length);
        for (const gram of grams) add(vector, `c:${gram}`, share);
      }
    }
    if (bigramWeight > 0) {
      for (let index = 0; index + 1 < words.length; index++)
        add(vector, `b:${words[index]} ${words[index + 1]}`, bigramWeight);
    }
    let sum = 0;
    for (let index = 0; index < dimensions; index++) sum += vector[index]! * vector[index]!;
    if (sum > 0) {
      const scale = 1 / Math.sqrt(sum);
      for (let index = 0; index < dimensions; index++) vector[index]! *= scale;
    }
    return vector;
  }

  return {
    provider: 'offline',
    model: `neptune-hash-v1-${dimensions}${seed ? `-s${seed}` : ''}`,
    dimensions,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions) {
      const checked = parseInput(textsSchema, texts, 'texts to embed');
      const vectors: Float32Array[] = [];
      for (const text of checked) {
        throwIfAborted(embedOptions?.signal, 'Embedding');
        vectors.push(embedOne(text));
      }
      return vectors;
    },
  };
}
