import type { DocumentSource, IndexedDocument } from '../retrieval/search-system';

/** mulberry32: a small seeded generator, so every run and every contender sees the same corpus. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal, Box-Muller. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'te',
  'vi',
  'do',
  'pe',
  'ga',
  'zu',
  'bri',
  'tor',
  'nal',
  'ves',
];

/** Distinct pronounceable words, so that every analyzer keeps them as single tokens. */
function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let index = 0; index < syllables; index++)
      word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

/** Cumulative Zipf weights (rank^-exponent), for sampling words by binary search. */
function zipfCumulative(size: number, exponent: number): Float64Array {
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let rank = 1; rank <= size; rank++) {
    sum += rank ** -exponent;
    cumulative[rank - 1] = sum;
  }
  for (let index = 0; index < size; index++) cumulative[index]! /= sum;
  return cumulative;
}

function sampleIndex(cumulative: Float64Array, value: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function normalize(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const scale = 1 / Math.sqrt(squares);
  for (let index = 0; index < vector.length; index++) vector[index]! *= scale;
  return vector;
}

export interface SyntheticQuery {
  readonly id: string;
  readonly text: string;
  readonly vector: Float32Array;
}

export interface SyntheticCorpusOptions {
  readonly size: number;
  readonly dimensions: number;
  readonly queries: number;
  readonly seed?: number;
  /** Distinct words. Default 50,000. */
  readonly vocabularySize?: number;
  /** Vector clusters, so that nearest neighbours mean something. Default 1,000. */
  readonly clusters?: number;
}

export interface SyntheticCorpus {
  readonly source: DocumentSource;
  readonly queries: readonly SyntheticQuery[];
}

/**
 * A seeded synthetic corpus: texts of 40 to 120 words drawn from a Zipf (s = 1.07) vocabulary, and unit
 * vectors around random cluster centres. Documents are generated on demand from their index, so that a
 * million of them never sit in memory outside the index under test. Each query takes three words and a
 * noisy copy of the vector of one document, so that both legs have something to find.
 */
export function syntheticCorpus(options: SyntheticCorpusOptions): SyntheticCorpus {
  const seed = options.seed ?? 42;
  const setup = seededRandom(seed);
  const words = vocabulary(options.vocabularySize ?? 50_000, setup);
  const cumulative = zipfCumulative(words.length, 1.07);
  const centres = Array.from({ length: options.clusters ?? 1_000 }, () =>
    normalize(Float32Array.from({ length: options.dimensions }, () => gaussian(setup))),
  );

  // Noise of length 0.8 around a unit centre (cosine about 0.6 within a cluster, as related texts'
  // embeddings sit), and queries within 0.3 of their document.
  const documentSpread = 0.8 / Math.sqrt(options.dimensions);
  const querySpread = 0.3 / Math.sqrt(options.dimensions);
  const documentAt = (index: number) => {
    const random = seededRandom(seed * 1_000_003 + index + 1);
    const length = 40 + Math.floor(random() * 81);
    const text: string[] = [];
    for (let position = 0; position < length; position++)
      text.push(words[sampleIndex(cumulative, random())]!);
    const centre = centres[Math.floor(random() * centres.length)]!;
    const vector = new Float32Array(options.dimensions);
    for (let dimension = 0; dimension < options.dimensions; dimension++)
      vector[dimension] = centre[dimension]! + documentSpread * gaussian(random);
    return { words: text, vector: normalize(vector) };
  };

  const queryRandom = seededRandom(seed + 7);
  const queries = Array.from({ length: options.queries }, (_, index): SyntheticQuery => {
    const target = documentAt(Math.floor(queryRandom() * options.size));
    const picked = Array.from(
      { length: 3 },
      () => target.words[Math.floor(queryRandom() * target.words.length)]!,
    );
    const vector = Float32Array.from(target.vector, (value) => value + querySpread * gaussian(queryRandom));
    return { id: `query-${index}`, text: `${picked.join(' ')} q${index}`, vector: normalize(vector) };
  });

  return {
    source: {
      count: options.size,
      at(index: number): IndexedDocument {
        const { words: text, vector } = documentAt(index);
        return { id: `doc-${index}`, text: text.join(' '), vector: Array.from(vector) };
      },
    },
    queries,
  };
}
