import type { Embedder } from '@neptune/core';
import { create, insertMultiple, search } from '@orama/orama';
import { stopwords as englishStopWords } from '@orama/stopwords/english';
import { batchesOf, type DocumentSource, type SearchSystem } from './search-system';

const BATCH = 1_000;

export interface OramaSystemOptions {
  readonly embedder: Embedder;
  /** English stemming and stop words (`@orama/stopwords`), as Orama's docs recommend; off is Orama's default. */
  readonly englishAnalysis: boolean;
  /** Hybrid weights for a second hybrid strategy, next to Orama's own query-dependent default. */
  readonly tunedHybridWeights?: { readonly text: number; readonly vector: number } | undefined;
}

/**
 * Orama (`@orama/orama`): its BM25 full-text index and its vector index in one database, given the
 * vectors directly. Vector search runs with `similarity: 0`: the default threshold of 0.8 returns no
 * document at all for embeddings whose cosine similarities sit well below it, as the offline ones do.
 */
export function oramaSystem(options: OramaSystemOptions) {
  const dimensions = options.embedder.dimensions;
  const createDatabase = () =>
    create({
      schema: { text: 'string', embedding: `vector[${dimensions}]` } as const,
      components: options.englishAnalysis
        ? { tokenizer: { language: 'english', stemming: true, stopWords: englishStopWords } }
        : {},
    });
  let database: ReturnType<typeof createDatabase> | undefined;
  const ready = () => {
    if (database === undefined) throw new Error('Build the Orama index before searching it.');
    return database;
  };
  const queryVector = async (query: string) => Array.from((await options.embedder.embed([query]))[0]!);
  const ids = (results: { hits: { id: string }[] }) => results.hits.map((hit) => hit.id);

  const hybrid = (weights: OramaSystemOptions['tunedHybridWeights']) => async (query: string, topK: number) =>
    ids(
      await search(ready(), {
        mode: 'hybrid',
        term: query,
        vector: { value: await queryVector(query), property: 'embedding' },
        similarity: 0,
        limit: topK,
        properties: ['text'],
        ...(weights ? { hybridWeights: weights } : {}),
      }),
    );

  const system: SearchSystem = {
    system: options.englishAnalysis ? 'orama (english stemming + stop words)' : 'orama',
    settings: [
      `Orama ${options.englishAnalysis ? "with language 'english', stemming: true and @orama/stopwords/english" : 'with its default tokenizer (no stemming, no stop words)'}; BM25 defaults (k 1.2, b 0.75, d 0.5)`,
      'vector and hybrid: similarity 0 (the default 0.8 finds nothing with these embeddings)',
      "Orama matches each query word as a prefix (search as you type: 'cell' also scores 'cellular', 'a' every word starting with a); its `exact: true` instead keeps only documents holding every query word verbatim, case-sensitive, which leaves none for SciFact's claims",
    ],
    async build(source: DocumentSource) {
      database = createDatabase();
      for (const batch of batchesOf(source, BATCH)) {
        await insertMultiple(
          database,
          batch.map((document) => ({ id: document.id, text: document.text, embedding: document.vector })),
          BATCH,
        );
      }
    },
    strategies: {
      bm25: async (query, topK) =>
        ids(await search(ready(), { term: query, limit: topK, properties: ['text'] })),
      vector: async (query, topK) =>
        ids(
          await search(ready(), {
            mode: 'vector',
            vector: { value: await queryVector(query), property: 'embedding' },
            similarity: 0,
            limit: topK,
          }),
        ),
      hybrid: hybrid(undefined),
      ...(options.tunedHybridWeights
        ? {
            [`hybrid (text ${options.tunedHybridWeights.text} / vector ${options.tunedHybridWeights.vector})`]:
              hybrid(options.tunedHybridWeights),
          }
        : {}),
    },
  };
  return system;
}
