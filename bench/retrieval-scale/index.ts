/**
 * `pnpm bench retrieval-scale`: Neptune, Orama and LangChain.js on seeded synthetic corpora of 10k and
 * 100k chunks (add 1M with `--sizes=10k,100k,1m` or RETRIEVAL_SCALE_SIZES): build time, memory, and
 * query latency of the keyword, vector and hybrid searches, and how each grows with size.
 */
import { getHeapStatistics } from 'node:v8';
import { createTokenizer } from '@neptune/core/tokenizer';
import { memoryIvfVectorStore, memoryKeywordIndex } from '@neptune/rag/memory';
import { type BenchmarkTable, type Cell, defineBenchmark } from '../lib/benchmark';
import { requestedSizes, sizeLabel } from '../lib/requested-sizes';
import { langchainSystem } from '../retrieval/langchain-system';
import { memoizedEmbedder } from '../retrieval/memoized-embedder';
import { neptuneSystem } from '../retrieval/neptune-system';
import { oramaSystem } from '../retrieval/orama-system';
import {
  benchPgvectorStore,
  benchPostgresKeywordIndex,
  postgresRequested,
} from '../retrieval/postgres-keyword-index';
import { retainedBytes } from '../retrieval/retained-memory';
import type { SearchSystem } from '../retrieval/search-system';
import { syntheticCorpus } from './synthetic-corpus';
import { timeBoxedQueries } from './time-boxed-queries';

const DIMENSIONS = 384;
const QUERIES = 200;
const TOP_K = 10;
const MiB = 2 ** 20;
/** A contender whose build would take longer than this at the next size is skipped there. */
const BUILD_LIMIT_MS = 120_000;
/** Time given to one search strategy's queries at one size. */
const QUERY_BUDGET_MS = 30_000;
const LEGS = ['keyword', 'vector', 'hybrid'] as const;
type Leg = (typeof LEGS)[number];

interface Contender {
  readonly name: string;
  create(): SearchSystem;
  /** The strategy that plays each leg. */
  readonly legs: Readonly<Record<Leg, string>>;
  /** The exact contender whose vector results this one's are checked against (recall@10). */
  readonly exactReference?: string | undefined;
  /** Peers may be skipped at a size they would take too long for; ours never are, however slow. */
  readonly peer: boolean;
}

interface Outcome {
  readonly size: number;
  readonly contender: string;
  readonly skipped?: string;
  readonly buildMs?: number;
  readonly memoryMiB?: number;
  readonly legs?: Partial<Record<Leg, { p50Ms: number; p95Ms: number; queries: number }>>;
  /** Share of the exact vector top 10 that this contender's vector search found. */
  readonly vectorRecallAt10?: number | undefined;
}

/** Mean share of each reference top-k found in the candidate's, over the queries both ran. */
function recallAgainst(
  candidate: ReadonlyMap<string, readonly string[]>,
  reference: ReadonlyMap<string, readonly string[]>,
): number | undefined {
  let sum = 0;
  let count = 0;
  for (const [queryId, expected] of reference) {
    const found = candidate.get(queryId);
    if (found === undefined || expected.length === 0) continue;
    const ids = new Set(found);
    sum += expected.filter((id) => ids.has(id)).length / expected.length;
    count++;
  }
  return count === 0 ? undefined : sum / count;
}

export default defineBenchmark({
  name: 'retrieval-scale',
  description:
    'Neptune vs Orama and LangChain.js on synthetic corpora (384-dim vectors, Zipf text): build, memory, keyword/vector/hybrid latency by size',
  async run(context) {
    const sizes = requestedSizes('RETRIEVAL_SCALE_SIZES', '10k,100k');
    const heapLimitMiB = getHeapStatistics().heap_size_limit / MiB;
    const tokenizer = await createTokenizer({ encoding: 'cl100k_base' });
    const synthetic = {
      provider: 'synthetic',
      model: 'seeded-clusters',
      dimensions: DIMENSIONS,
      embed: async () => {
        throw new Error('Synthetic query vectors are set on the memo before searching.');
      },
    };
    const embedder = memoizedEmbedder(synthetic);
    // `--store postgres`: Neptune's keyword leg also on the Postgres at DATABASE_URL (vectors in memory).
    const postgres = postgresRequested() ? benchPostgresKeywordIndex('bench_retrieval_scale') : undefined;
    // And, where that server has pgvector, both legs in pgvectorStore (HNSW built after each bulk load).
    const pgvector = postgresRequested()
      ? await benchPgvectorStore('bench_retrieval_scale_pgvector', DIMENSIONS)
      : undefined;
    const contenders: Contender[] = [
      {
        name: 'neptune',
        create: () => neptuneSystem({ embedder, tokenizer, tokenCounts: 'estimate' }),
        legs: { keyword: 'bm25', vector: 'vector', hybrid: 'hybrid' },
        peer: false,
      },
      {
        name: 'neptune (ivf)',
        create: () =>
          neptuneSystem({
            embedder,
            tokenizer,
            tokenCounts: 'estimate',
            name: 'neptune (ivf)',
            vectorStore: (dimensions) => memoryIvfVectorStore({ dimensions }),
          }),
        legs: { keyword: 'bm25', vector: 'vector', hybrid: 'hybrid' },
        exactReference: 'neptune',
        peer: false,
      },
      {
        // The same index scanning every posting of the query's terms: what MaxScore saves.
        name: 'neptune (no pruning)',
        create: () =>
          neptuneSystem({
            embedder,
            tokenizer,
            tokenCounts: 'estimate',
            name: 'neptune (no pruning)',
            keywordIndex: memoryKeywordIndex({ pruning: 'never' }),
          }),
        legs: { keyword: 'bm25', vector: 'vector', hybrid: 'hybrid' },
        peer: false,
      },
      ...(postgres
        ? [
            {
              name: 'neptune (postgres)',
              create: () =>
                neptuneSystem({
                  embedder,
                  tokenizer,
                  tokenCounts: 'estimate',
                  name: 'neptune (postgres)',
                  keywordIndex: postgres.index,
                  load: postgres.load,
                  afterBuild: postgres.settle,
                }),
              legs: { keyword: 'bm25', vector: 'vector', hybrid: 'hybrid' },
              peer: false,
            } satisfies Contender,
          ]
        : []),
      ...(pgvector
        ? [
            {
              name: 'neptune (pgvector)',
              create: () =>
                neptuneSystem({
                  embedder,
                  tokenizer,
                  tokenCounts: 'estimate',
                  name: 'neptune (pgvector)',
                  keywordIndex: pgvector.store,
                  vectorStore: () => pgvector.store,
                  load: pgvector.load,
                  afterBuild: pgvector.settle,
                }),
              legs: { keyword: 'bm25', vector: 'vector', hybrid: 'hybrid' },
              exactReference: 'neptune',
              peer: false,
            } satisfies Contender,
          ]
        : []),
      {
        name: 'orama',
        create: () => oramaSystem({ embedder, englishAnalysis: false }),
        legs: { keyword: 'bm25', vector: 'vector', hybrid: 'hybrid' },
        peer: true,
      },
      {
        name: 'langchain',
        create: () => langchainSystem({ embedder }),
        legs: { keyword: 'bm25', vector: 'vector', hybrid: 'ensemble' },
        peer: true,
      },
    ];
    // `--contenders=neptune,neptune (postgres)` runs only those (default: all).
    const only = process.argv
      .find((argument) => argument.startsWith('--contenders='))
      ?.slice('--contenders='.length)
      .split(',')
      .map((name) => name.trim());
    if (only)
      contenders.splice(0, contenders.length, ...contenders.filter((each) => only.includes(each.name)));
    const outcomes: Outcome[] = [];
    /** Vector results by contender, for the size being run. */
    const vectorResults = new Map<string, ReadonlyMap<string, readonly string[]>>();
    const previous = new Map<string, Outcome>();

    for (const size of sizes) {
      const corpus = syntheticCorpus({ size, dimensions: DIMENSIONS, queries: QUERIES });
      for (const query of corpus.queries) embedder.set(query.text, query.vector);
      vectorResults.clear();
      for (const contender of contenders) {
        const last = previous.get(contender.name);
        const growth = last ? size / last.size : 1;
        if (contender.peer && (last?.skipped || (last?.buildMs ?? 0) * growth > BUILD_LIMIT_MS)) {
          outcomes.push({
            size,
            contender: contender.name,
            skipped:
              last?.skipped ??
              `build projected at ${Math.round(((last?.buildMs ?? 0) * growth) / 1000)} s (over ${BUILD_LIMIT_MS / 1000} s)`,
          });
          previous.set(contender.name, outcomes.at(-1)!);
          continue;
        }
        if (contender.peer && (last?.memoryMiB ?? 0) * growth > heapLimitMiB * 0.6) {
          outcomes.push({
            size,
            contender: contender.name,
            skipped: `memory projected at ${Math.round((last?.memoryMiB ?? 0) * growth)} MiB, over 60% of the ${Math.round(heapLimitMiB)} MiB heap limit`,
          });
          previous.set(contender.name, outcomes.at(-1)!);
          continue;
        }
        const before = retainedBytes();
        let system: SearchSystem | undefined = contender.create();
        context.log(`${sizeLabel(size)} ${contender.name}: building`);
        const started = performance.now();
        await system.build(corpus.source);
        const buildMs = performance.now() - started;
        const memoryMiB = (retainedBytes() - before) / MiB;
        const legs: Outcome['legs'] = {};
        for (const leg of LEGS) {
          context.log(`${sizeLabel(size)} ${contender.name}: ${leg} queries`);
          const timed = await timeBoxedQueries(system.strategies[contender.legs[leg]]!, corpus.queries, {
            topK: TOP_K,
            budgetMs: QUERY_BUDGET_MS,
          });
          legs[leg] = { p50Ms: timed.p50Ms, p95Ms: timed.p95Ms, queries: timed.queries };
          if (leg === 'vector') vectorResults.set(contender.name, timed.results);
        }
        const reference = contender.exactReference && vectorResults.get(contender.exactReference);
        const vectorRecallAt10 = reference
          ? recallAgainst(vectorResults.get(contender.name)!, reference)
          : undefined;
        outcomes.push({ size, contender: contender.name, buildMs, memoryMiB, legs, vectorRecallAt10 });
        previous.set(contender.name, outcomes.at(-1)!);
        system = undefined;
      }
    }

    await postgres?.close();
    const pgvectorVersion = await pgvector?.version();
    await pgvector?.close();
    const rows = outcomes.map((outcome): Record<string, Cell> => {
      const leg = (name: Leg, figure: 'p50Ms' | 'p95Ms') => outcome.legs?.[name]?.[figure] ?? null;
      const queried = LEGS.map((name) => outcome.legs?.[name]?.queries ?? 0);
      return {
        chunks: sizeLabel(outcome.size),
        system: outcome.contender,
        'build (s)': outcome.buildMs === undefined ? null : outcome.buildMs / 1000,
        'memory (MiB)': outcome.memoryMiB ?? null,
        'keyword p50 (ms)': leg('keyword', 'p50Ms'),
        'keyword p95 (ms)': leg('keyword', 'p95Ms'),
        'vector p50 (ms)': leg('vector', 'p50Ms'),
        'vector p95 (ms)': leg('vector', 'p95Ms'),
        'hybrid p50 (ms)': leg('hybrid', 'p50Ms'),
        'hybrid p95 (ms)': leg('hybrid', 'p95Ms'),
        'vector recall@10': outcome.vectorRecallAt10 === undefined ? '' : outcome.vectorRecallAt10.toFixed(3),
        queries: outcome.skipped ? `skipped: ${outcome.skipped}` : queried.join(' / '),
      };
    });
    const growthNotes = contenders.flatMap((contender) => {
      const measured = outcomes.filter((outcome) => outcome.contender === contender.name && outcome.legs);
      if (measured.length < 2) return [];
      const first = measured[0]!;
      const last = measured.at(-1)!;
      const factor = (figure: (outcome: Outcome) => number | undefined) => {
        const from = figure(first);
        const to = figure(last);
        return from && to ? `${(to / from).toFixed(1)}x` : '–';
      };
      return [
        `${contender.name}, ${sizeLabel(first.size)} → ${sizeLabel(last.size)} (${last.size / first.size}x the chunks): build ${factor((outcome) => outcome.buildMs)}, memory ${factor((outcome) => outcome.memoryMiB)}, keyword p95 ${factor((outcome) => outcome.legs?.keyword?.p95Ms)}, vector p95 ${factor((outcome) => outcome.legs?.vector?.p95Ms)}, hybrid p95 ${factor((outcome) => outcome.legs?.hybrid?.p95Ms)}.`,
      ];
    });
    const table: BenchmarkTable = {
      title: `Synthetic corpora: ${DIMENSIONS}-dimensional vectors, 40-120 word Zipf texts, top ${TOP_K}`,
      rows,
      notes: [
        `Seeded corpora (50,000-word Zipf vocabulary, s 1.07; unit vectors around 1,000 random centres); ${QUERIES} queries of three words from one document plus a noisy copy of its vector. Every contender pulls the same documents, vectors handed over as fresh number[] copies.`,
        `queries: how many were timed per leg (keyword / vector / hybrid), after 3 untimed warm-ups; a leg whose queries would take over ${QUERY_BUDGET_MS / 1000} s is timed on fewer (at least 10). A peer is skipped at a size where its build is projected (linearly from the previous size) over ${BUILD_LIMIT_MS / 1000} s, or its memory over 60% of the heap limit.`,
        "neptune's keyword leg prunes with MaxScore once a query's posting lists hold over 20,000 entries (memoryKeywordIndex's default); neptune (no pruning) is the same index with pruning: 'never', scanning every posting, with the same results.",
        `neptune: hybridRetriever over memoryKeywordIndex and memoryVectorStore (exact) or, for neptune (ivf), memoryIvfVectorStore (IVF: spherical k-means into about √n/2 lists, 16 to 256, trained when a scope reaches 4,000,000 / dimensions rows and retrained each time it doubles; a query scans the nearest twelfth of the lists, at least 8); vector recall@10 is the share of the exact store's top 10 it found. Hybrid = score fusion keyword 0.8 / vector 0.2, 50 candidates per leg. Token counts are estimated (characters / 4) rather than counted, which on these made-up words would take longer than the indexing measured (5 s per 10k texts).`,
        ...(postgres
          ? [
              `On the Postgres at DATABASE_URL (the same machine), after a VACUUM ANALYZE: neptune (postgres) is postgresKeywordIndex (BM25 in tables, MaxScore above 20,000 postings) with vectors in memoryVectorStore${
                pgvectorVersion
                  ? `; neptune (pgvector) is pgvectorStore (pgvector ${pgvectorVersion}): BM25 and vectors in one table family, loaded through bulkLoad (postings key and HNSW index m 16, ef_construction 64 built after the load, maintenance_work_mem 1GB), scopes over 10,000 chunks searched through HNSW (ef_search 100, iterative scan), recall@10 against the exact in-memory store`
                  : '; no pgvector row: the server has no pgvector extension'
              }.`,
            ]
          : []),
        'orama: default tokenizer, similarity 0. langchain: BM25Retriever, MemoryVectorStore, EnsembleRetriever (RRF, 0.5 / 0.5).',
        ...growthNotes,
      ],
    };
    return { tables: [table], figures: { sizes, outcomes } };
  },
});
