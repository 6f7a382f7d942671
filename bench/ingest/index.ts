/**
 * `pnpm bench ingest`: ingestion throughput and memory with the offline embedder, into the in-memory
 * store, pgvector on PGlite and (with DATABASE_URL) a Postgres keyword index, at 10k and 100k synthetic
 * documents (`--sizes=10k,100k,1m` or INGEST_SIZES for a million), and how each grows with size. Each
 * size is ingested twice: the second run finds every document unchanged and must cost no model call; the
 * memory target then restarts over its kept manifest and embedding cache and must cost none either.
 * INGEST_TARGETS picks targets (memory, pglite, postgres, and pgvector where DATABASE_URL's server has the extension).
 */
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { offlineEmbedder } from '@neptune/core/offline';
import { type BenchmarkTable, type Cell, defineBenchmark } from '../lib/benchmark';
import { requestedSizes, sizeLabel } from '../lib/requested-sizes';
import { retainedBytes } from '../retrieval/retained-memory';
import { countingEmbedder } from './counting-embedder';
import {
  EMBED_BATCH_SIZE,
  type IngestTarget,
  memoryTarget,
  pgliteTarget,
  pgvectorPostgresTarget,
  postgresKeywordTarget,
} from './ingest-targets';
import { memorySampler } from './memory-sampler';
import { syntheticDocumentBatches } from './synthetic-documents';

const DIMENSIONS = 384;
/** Documents per `ingest` call: how a caller streams a large corpus. */
const DOCUMENTS_PER_CALL = 1_000;
/** A target whose next size is projected to take longer than this is skipped there. */
const TIME_LIMIT_MS = Number(process.env.INGEST_TIME_LIMIT_S ?? 900) * 1000;
const MiB = 2 ** 20;
/** The restart re-run (memory target) is left out above this size (INGEST_RESTART_MAX_SIZE, documents). */
const RESTART_MAX_SIZE = Number(process.env.INGEST_RESTART_MAX_SIZE ?? Number.POSITIVE_INFINITY);

interface Outcome {
  readonly target: string;
  readonly size: number;
  readonly skipped?: string;
  readonly ingestMs?: number;
  readonly documentsPerSecond?: number;
  readonly chunks?: number;
  readonly failed?: number;
  readonly embedCalls?: number;
  readonly largestCall?: number;
  readonly mostConcurrent?: number;
  readonly peakMiB?: number;
  readonly peakRssMiB?: number;
  readonly retainedMiB?: number;
  readonly rerunDocumentsPerSecond?: number;
  readonly rerunModelCalls?: number;
  readonly indexBuildMs?: number;
  readonly restartDocumentsPerSecond?: number;
  readonly restartModelCalls?: number;
  /** The machine's 1-minute load average when the first run started and when the size was done. */
  readonly loadBefore?: number;
  readonly loadAfter?: number;
}

const loadAverage = () => Math.round((loadavg()[0] ?? 0) * 10) / 10;

async function ingestOnce(
  target: IngestTarget,
  size: number,
  log: (message: string) => void,
): Promise<Outcome> {
  const embedder = countingEmbedder(offlineEmbedder({ dimensions: DIMENSIONS }));
  const baseline = retainedBytes();
  const opened = await target.open(embedder);
  const { knowledgeBase, close } = opened;
  const scope = { workspaceId: 'bench' };
  const loadBefore = loadAverage();
  try {
    let chunks = 0;
    let failed = 0;
    const sampler = memorySampler();
    const started = performance.now();
    const load = async () => {
      for (const batch of syntheticDocumentBatches(size, DOCUMENTS_PER_CALL)) {
        const report = await knowledgeBase.ingest(scope, batch);
        chunks += report.chunksWritten;
        failed += report.failed.length;
      }
    };
    const { indexBuildMs } = opened.firstLoad ? await opened.firstLoad(load) : { indexBuildMs: undefined };
    if (!opened.firstLoad) await load();
    const ingestMs = performance.now() - started;
    const { peakHeap, peakRss } = sampler.stop();
    const retained = retainedBytes() - baseline;
    const counts = { ...embedder.counts };
    // Every figure of the first run as soon as it is known, so that a run stopped later still reports it.
    log(
      `${sizeLabel(size)} ${target.name}: ${Math.round(ingestMs / 1000)} s, ${Math.round(size / (ingestMs / 1000))} docs/s, peak heap+buffers ${Math.round((peakHeap - baseline) / MiB)} MiB, peak RSS ${Math.round(peakRss / MiB)} MiB, retained ${Math.round(retained / MiB)} MiB, ${counts.calls} embed calls, load ${loadBefore}/${loadAverage()}; re-running`,
    );

    embedder.reset();
    const rerunStarted = performance.now();
    for (const batch of syntheticDocumentBatches(size, DOCUMENTS_PER_CALL))
      await knowledgeBase.ingest(scope, batch);
    const rerunMs = performance.now() - rerunStarted;
    const rerunModelCalls = embedder.counts.calls;

    // A restart: the manifest and embedding cache kept, the vector store empty. Every document is indexed
    // again, every vector from the cache.
    let restartMs: number | undefined;
    let restartModelCalls: number | undefined;
    if (opened.restart && size <= RESTART_MAX_SIZE) {
      log(
        `${sizeLabel(size)} ${target.name}: re-run ${Math.round(size / (rerunMs / 1000))} docs/s, ${rerunModelCalls} model calls; re-running after a restart`,
      );
      embedder.reset();
      const restarted = opened.restart();
      const restartStarted = performance.now();
      let written = 0;
      for (const batch of syntheticDocumentBatches(size, DOCUMENTS_PER_CALL))
        written += (await restarted.ingest(scope, batch)).chunksWritten;
      restartMs = performance.now() - restartStarted;
      restartModelCalls = embedder.counts.calls;
      if (written !== chunks) throw new Error(`the restart re-indexed ${written} chunks, not ${chunks}`);
    }
    return {
      target: target.name,
      size,
      ingestMs,
      documentsPerSecond: size / (ingestMs / 1000),
      chunks,
      failed,
      embedCalls: counts.calls,
      largestCall: counts.largestCall,
      mostConcurrent: counts.mostConcurrent,
      peakMiB: (peakHeap - baseline) / MiB,
      peakRssMiB: peakRss / MiB,
      retainedMiB: retained / MiB,
      rerunDocumentsPerSecond: size / (rerunMs / 1000),
      rerunModelCalls,
      indexBuildMs,
      restartDocumentsPerSecond: restartMs === undefined ? undefined : size / (restartMs / 1000),
      restartModelCalls,
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    await close();
  }
}

function growthRows(outcomes: readonly Outcome[]): Array<Record<string, Cell>> {
  const rows: Array<Record<string, Cell>> = [];
  const byTarget = new Map<string, Outcome[]>();
  for (const outcome of outcomes) {
    if (outcome.ingestMs === undefined) continue;
    byTarget.set(outcome.target, [...(byTarget.get(outcome.target) ?? []), outcome]);
  }
  for (const [target, list] of byTarget) {
    for (let index = 1; index < list.length; index++) {
      const [small, large] = [list[index - 1]!, list[index]!];
      rows.push({
        target,
        from: sizeLabel(small.size),
        to: sizeLabel(large.size),
        'size ×': large.size / small.size,
        'time ×': large.ingestMs! / small.ingestMs!,
        'docs/s ×': large.documentsPerSecond! / small.documentsPerSecond!,
        'retained memory ×': large.retainedMiB! / small.retainedMiB!,
        'peak memory ×': large.peakMiB! / small.peakMiB!,
      });
    }
  }
  return rows;
}

export default defineBenchmark({
  name: 'ingest',
  description:
    'ingestion throughput, peak memory and growth with the offline embedder: in-memory, pgvector on PGlite, Postgres keywords',
  async run(context) {
    const sizes = requestedSizes('INGEST_SIZES', '10k,100k');
    const available: Record<string, IngestTarget> = { memory: memoryTarget, pglite: pgliteTarget };
    if (process.env.DATABASE_URL) {
      available.postgres = postgresKeywordTarget(process.env.DATABASE_URL);
      const pgvector = await pgvectorPostgresTarget(process.env.DATABASE_URL);
      if (pgvector) available.pgvector = pgvector;
      else
        context.log(
          'The Postgres at DATABASE_URL has no pgvector extension: the pgvector (PG) row is left out.',
        );
    } else context.log('DATABASE_URL is not set: the Postgres rows are left out.');
    // INGEST_TARGETS=memory,pglite,postgres runs some of them (one process per target runs them side by side).
    const chosen =
      process.env.INGEST_TARGETS?.split(',').map((name) => name.trim()) ?? Object.keys(available);
    const unknown = chosen.filter((name) => !(name in available));
    if (unknown.length > 0)
      throw new Error(
        `INGEST_TARGETS names ${unknown.join(', ')}; known: ${Object.keys(available).join(', ')}.`,
      );
    const targets = chosen.map((name) => available[name]!);
    const heapLimitMiB = getHeapStatistics().heap_size_limit / MiB;
    const outcomes: Outcome[] = [];
    const failures: string[] = [];
    for (const target of targets) {
      let previous: Outcome | undefined;
      for (const size of sizes) {
        const growth = previous ? size / previous.size : 1;
        const projectedMs = (previous?.ingestMs ?? 0) * growth;
        const projectedMiB = (previous?.retainedMiB ?? 0) * growth;
        let skipped: string | undefined;
        if (previous?.skipped) skipped = previous.skipped;
        else if (projectedMs > TIME_LIMIT_MS)
          skipped = `projected ${Math.round(projectedMs / 60_000)} min, over the ${TIME_LIMIT_MS / 60_000} min limit (INGEST_TIME_LIMIT_S)`;
        else if (projectedMiB > heapLimitMiB * 0.6)
          skipped = `projected ${Math.round(projectedMiB)} MiB, over 60% of the ${Math.round(heapLimitMiB)} MiB heap limit`;
        if (skipped) {
          previous = { target: target.name, size, skipped };
          outcomes.push(previous);
          continue;
        }
        context.log(`${sizeLabel(size)} ${target.name}: ingesting`);
        previous = await ingestOnce(target, size, context.log);
        outcomes.push(previous);
        if (previous.failed)
          failures.push(`${target.name} at ${sizeLabel(size)}: ${previous.failed} documents failed`);
        if (previous.rerunModelCalls)
          failures.push(
            `${target.name} at ${sizeLabel(size)}: the re-run made ${previous.rerunModelCalls} model calls, not 0`,
          );
        if (previous.restartModelCalls)
          failures.push(
            `${target.name} at ${sizeLabel(size)}: the re-run after a restart made ${previous.restartModelCalls} model calls, not 0`,
          );
      }
    }

    const tables: BenchmarkTable[] = [
      {
        title: 'Ingestion by size (offline embedder, 384 dimensions)',
        rows: outcomes.map((outcome) => ({
          target: outcome.target,
          documents: sizeLabel(outcome.size),
          'docs/s': outcome.documentsPerSecond ?? null,
          'time (s)': outcome.ingestMs === undefined ? null : outcome.ingestMs / 1000,
          chunks: outcome.chunks ?? null,
          'embed calls': outcome.embedCalls ?? null,
          'max texts/call': outcome.largestCall ?? null,
          'max calls in flight': outcome.mostConcurrent ?? null,
          'peak heap+buffers (MiB)': outcome.peakMiB ?? null,
          'peak RSS (MiB)': outcome.peakRssMiB ?? null,
          'retained (MiB)': outcome.retainedMiB ?? null,
          're-run docs/s': outcome.rerunDocumentsPerSecond ?? null,
          're-run model calls': outcome.rerunModelCalls ?? null,
          'index build (s)': outcome.indexBuildMs === undefined ? null : outcome.indexBuildMs / 1000,
          'restart re-run docs/s': outcome.restartDocumentsPerSecond ?? null,
          'restart re-run model calls': outcome.restartModelCalls ?? null,
          'load avg (start/end)':
            outcome.loadBefore === undefined ? '' : `${outcome.loadBefore}/${outcome.loadAfter}`,
          skipped: outcome.skipped ?? '',
        })),
        notes: [
          ...targets.map((target) => target.note),
          `Documents: seeded synthetic texts of 40 to 120 Zipf words (one chunk each), ${DOCUMENTS_PER_CALL} per ingest call; embedBatchSize ${EMBED_BATCH_SIZE}, one embedding call in flight per ingest call.`,
          'Peak: the highest heap + ArrayBuffers sampled every 50 ms during the first run, above the level before the target opened; PGlite lives in WebAssembly memory, which RSS shows. Retained: after a full GC, with the index still open.',
          'Re-run: the same documents again; the manifest finds them unchanged, so no model call is made.',
          ...(Number.isFinite(RESTART_MAX_SIZE)
            ? [
                `Restart re-run left out above ${sizeLabel(RESTART_MAX_SIZE)} documents (INGEST_RESTART_MAX_SIZE).`,
              ]
            : []),
          'Restart re-run (memory): a new knowledge base over the same key-value store (manifest and embedding cache) and an empty vector store; every document is indexed again and every vector comes from the cache: 0 model calls.',
          'Load avg: the 1-minute load average of the machine (2 cores) when the size started and ended; the machine is shared, so compare rows of one run.',
        ],
      },
      {
        title: 'Growth from one size to the next (ratios; time × equal to size × is linear)',
        rows: growthRows(outcomes),
      },
    ];
    return { tables, figures: { outcomes }, failures };
  },
});
