import {
  defaultTelemetry,
  type Embedder,
  type KeywordIndex,
  type Metadata,
  NeptuneError,
  type NeptuneEventMap,
  parseInput,
  type QueryExpander,
  type Reranker,
  type Scope,
  type TelemetryChannel,
  type Tokenizer,
  type VectorStore,
  validateScope,
  withTimeout,
} from '@neptune/core';
import { type ChunkRecord, widenWithNeighbours } from './neighbour-context';
import type { Passage } from './passage';
import {
  type FusedResult,
  normalizedScoreFusion,
  type RankedList,
  reciprocalRankFusion,
} from './rank-fusion';
import {
  querySchema,
  type ResolvedRetrieveOptions,
  type RetrieveOptions,
  resolveRetrieveOptions,
} from './retrieve-options';

/** What `retrieve` returns: the passages with citations, and how they were found. */
export interface RetrievalResult {
  readonly query: string;
  readonly passages: Passage[];
  /** The legs that ran: `vector`, `keyword`, `expansion`, `rerank`. */
  readonly legs: string[];
  /** The queries searched: the original first, then the expander's variations. */
  readonly queries: string[];
  /** Why a leg was left out (`vector: TimeoutError ...`), when one was. */
  readonly degraded: string[];
  /** Why reranking did not run although asked (`confident`), when it did not. */
  readonly rerankSkipped?: string | undefined;
  readonly cached: boolean;
  readonly timingsMs: Readonly<Record<string, number>>;
}

/**
 * Options of `hybridRetriever`: the stores and embedder it searches with, and the optional expander and
 * reranker.
 */
export interface HybridRetrieverOptions {
  readonly vectorStore: VectorStore;
  /** Keyword leg; defaults to the vector store when it indexes keywords itself. */
  readonly keywordIndex?: KeywordIndex | undefined;
  readonly embedder: Embedder;
  readonly expander?: QueryExpander | undefined;
  readonly reranker?: Reranker | undefined;
  readonly tokenizer: Tokenizer;
  readonly telemetry?: TelemetryChannel | undefined;
}

/** Retrieves passages for a query in a scope. */
export interface Retriever {
  retrieve(scope: Scope, query: string, options?: RetrieveOptions): Promise<RetrievalResult>;
}

/** Reranking is skipped when the top hit leads every leg and clearly beats the runner-up. */
function isConfident(fused: readonly FusedResult[], legCount: number): boolean {
  const [first, second] = fused;
  if (!first || !second || legCount < 2) return false;
  const leadsEveryLeg =
    Object.keys(first.legs).length === legCount && Object.values(first.legs).every((hit) => hit.rank === 1);
  return leadsEveryLeg && second.score <= first.score * 0.8;
}

/**
 * How relevant each result is, the same way under either fusion: per leg, its score over the leg's best
 * (0 when the leg did not find it), weighted by the leg's weight and divided by the weights' sum; the
 * reranker's score over its best when reranking ran. Ranks alone (RRF) say nothing of how much better
 * the first hit is, so a relative cut needs the legs' own scores.
 */
function relevanceOf(
  results: readonly FusedResult[],
  lists: readonly RankedList[],
  rerankScores: ReadonlyMap<string, number> | undefined,
): Map<string, number> {
  const relevance = new Map<string, number>();
  if (rerankScores !== undefined && rerankScores.size > 0) {
    const best = Math.max(...rerankScores.values());
    for (const result of results) {
      const score = rerankScores.get(result.id);
      relevance.set(result.id, score === undefined || best <= 0 ? 0 : score / best);
    }
    return relevance;
  }
  let totalWeight = 0;
  const wanted = new Set(results.map((result) => result.id));
  for (const list of lists) {
    if (list.results.length === 0) continue;
    totalWeight += list.weight;
    const best = list.results[0]!.score;
    for (const hit of list.results) {
      if (!wanted.has(hit.id)) continue;
      const share = best > 0 ? Math.max(0, hit.score) / best : 1;
      relevance.set(hit.id, (relevance.get(hit.id) ?? 0) + list.weight * share);
    }
  }
  if (totalWeight > 0) for (const [id, value] of relevance) relevance.set(id, value / totalWeight);
  return relevance;
}

/** The results at least `minRelativeScore` as relevant as the most relevant one, in their order. */
function keepRelevant(
  results: FusedResult[],
  lists: readonly RankedList[],
  rerankScores: ReadonlyMap<string, number> | undefined,
  minRelativeScore: number,
): FusedResult[] {
  if (minRelativeScore <= 0 || results.length < 2) return results;
  const relevance = relevanceOf(results, lists, rerankScores);
  const best = Math.max(...results.map((result) => relevance.get(result.id) ?? 0));
  if (best <= 0) return results;
  return results.filter((result) => (relevance.get(result.id) ?? 0) >= best * minRelativeScore);
}

const describeError = (error: unknown) =>
  NeptuneError.isInstance(error)
    ? `${error.name}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);

/** Resolves once the callbacks already queued with `process.nextTick` have run (at once without Node). */
function afterPendingTicks(): Promise<void> {
  const nextTick = (globalThis as { process?: { nextTick?: (callback: () => void) => void } }).process
    ?.nextTick;
  return new Promise((resolve) => (nextTick ? nextTick(resolve) : resolve()));
}

/**
 * Hybrid retrieval: vector and keyword legs in parallel (for the query and each expansion), fused by
 * weighted reciprocal rank fusion keyed on chunk ids, optionally reranked in one batched call, widened
 * with neighbouring chunks within a token budget, each passage citing its document and offsets. When
 * the embedder fails or times out, it answers from keywords alone and says so in `degraded`.
 */
/** Reports one retrieval, searched or answered from the result cache, when someone listens. */
export function emitRetrievalEnd(
  telemetry: TelemetryChannel,
  facts: Omit<NeptuneEventMap['retrieval-end'], 'type' | 'timestamp'>,
): void {
  if (telemetry.active) telemetry.emit({ type: 'retrieval-end', timestamp: Date.now(), ...facts });
}

/**
 * Hybrid retrieval: vector and keyword search fused, with optional query expansion and reranking; a leg that
 * fails is left out and reported in `degraded`.
 */
export function hybridRetriever(options: HybridRetrieverOptions): Retriever {
  const search = hybridSearch(options);
  return {
    retrieve(scopeInput, queryInput, retrieveOptions) {
      const started = performance.now();
      const scope = validateScope(scopeInput);
      const query = parseInput(querySchema, queryInput, 'query');
      const settings = resolveRetrieveOptions(options.embedder, retrieveOptions);
      return search(scope, query, settings, options.embedder, started);
    },
  };
}

/**
 * What a retriever runs once its input is checked: a scope from `validateScope`, a query `querySchema`
 * accepted, options `resolveRetrieveOptions` resolved. The knowledge base checks its input once, at its
 * own edge, and calls this directly, with the embedder for the scope (its embedding cache).
 */
export type HybridSearch = (
  scope: Scope,
  query: string,
  settings: ResolvedRetrieveOptions,
  embedder: Embedder,
  started?: number,
) => Promise<RetrievalResult>;

/** The search behind `hybridRetriever`, over checked input; built once per retriever or knowledge base. */
export function hybridSearch(options: HybridRetrieverOptions): HybridSearch {
  const keywordIndex =
    options.keywordIndex ??
    (options.vectorStore.capabilities.keyword ? (options.vectorStore as unknown as KeywordIndex) : undefined);
  const telemetry = options.telemetry ?? defaultTelemetry();

  async function runLegs(
    scope: Scope,
    query: string,
    settings: ResolvedRetrieveOptions,
    records: Map<string, ChunkRecord>,
    degraded: string[],
    embedder: Embedder,
  ) {
    const lists: RankedList[] = [];
    // The keyword leg starts first: on Postgres or Upstash it is a round trip, to be on the wire before
    // the vector leg's scan (CPU work on this thread with the in-memory stores) holds the event loop.
    const keywordLeg = (async () => {
      if (!keywordIndex || settings.keywordWeight === 0) return;
      try {
        const matches = await keywordIndex.search(scope, {
          query,
          topK: settings.candidates,
          filter: settings.filter,
        });
        for (const match of matches)
          if (!records.has(match.id))
            records.set(match.id, { id: match.id, text: match.text ?? '', metadata: match.metadata });
        lists.push({ leg: 'keyword', weight: settings.keywordWeight, results: matches });
      } catch (error) {
        // Like the vector leg: a keyword index that is down costs its leg, not the retrieval.
        if (settings.signal?.aborted) throw error;
        degraded.push(`keyword: ${describeError(error)}`);
      }
    })();
    const vectorLeg = (async () => {
      if (settings.vectorWeight === 0) return;
      try {
        const [vector] = await withTimeout(
          (signal) => embedder.embed([query], { signal, purpose: 'query' }),
          {
            timeoutMs: settings.embedTimeoutMs,
            signal: settings.signal,
            what: 'Embedding the query',
          },
        );
        // node-postgres sends a query from a process.nextTick callback, which would wait for the scan:
        // let pending ticks run first (a few microseconds; nothing to wait for without Node).
        if (keywordIndex && settings.keywordWeight > 0) await afterPendingTicks();
        const matches = await options.vectorStore.query(scope, {
          vector: vector!,
          topK: settings.candidates,
          filter: settings.filter,
        });
        for (const match of matches)
          records.set(match.id, { id: match.id, text: match.text ?? '', metadata: match.metadata });
        lists.push({ leg: 'vector', weight: settings.vectorWeight, results: matches });
      } catch (error) {
        if (settings.signal?.aborted) throw error;
        degraded.push(`vector: ${describeError(error)}`);
      }
    })();
    await Promise.all([vectorLeg, keywordLeg]);
    // A fixed order keeps fusion deterministic whichever leg finished first.
    return lists.sort((a, b) => (a.leg < b.leg ? 1 : -1));
  }

  return async function search(scope, query, settings, embedder, started = performance.now()) {
    const timings: Record<string, number> = {};
    const records = new Map<string, ChunkRecord>();
    const degraded: string[] = [];
    const legs = new Set<string>();

    const searchStarted = performance.now();
    const lists = await runLegs(scope, query, settings, records, degraded, embedder);
    const queries = [query];
    if (settings.expansions > 0 && options.expander) {
      const expandStarted = performance.now();
      const firstPass = reciprocalRankFusion(lists, { k: settings.rrfK }).slice(0, 10);
      const variations = await options.expander.expand(query, {
        count: settings.expansions,
        scope,
        signal: settings.signal,
        feedback: firstPass.map((result) => records.get(result.id)?.text ?? '').filter(Boolean),
      });
      const extra = variations
        .filter((variation) => variation.trim() !== '' && variation !== query)
        .slice(0, settings.expansions);
      queries.push(...extra);
      const expandedLists = await Promise.all(
        extra.map((variation) => runLegs(scope, variation, settings, records, degraded, embedder)),
      );
      // Variations count half as much as the original, so expansion adds recall without drowning the question.
      for (const list of expandedLists.flat()) lists.push({ ...list, weight: list.weight * 0.5 });
      if (extra.length > 0) legs.add('expansion');
      timings.expansionMs = performance.now() - expandStarted;
    }
    for (const list of lists) legs.add(list.leg);
    timings.searchMs = performance.now() - searchStarted;

    let fused =
      settings.fusion === 'rrf'
        ? reciprocalRankFusion(lists, { k: settings.rrfK })
        : normalizedScoreFusion(lists);
    let rerankScores: Map<string, number> | undefined;
    let rerankSkipped: string | undefined;
    if (settings.rerankTopN > 0 && options.reranker) {
      const legCount = new Set(lists.map((list) => list.leg)).size;
      if (isConfident(fused, legCount)) rerankSkipped = 'confident';
      else {
        const rerankStarted = performance.now();
        const head = fused.slice(0, settings.rerankTopN);
        const reranked = await options.reranker.rerank(
          query,
          head.map((result) => ({
            id: result.id,
            text: records.get(result.id)?.text ?? '',
            score: result.score,
          })),
          { topN: head.length, signal: settings.signal },
        );
        rerankScores = new Map(reranked.map((result) => [result.id, result.score]));
        const order = new Map(reranked.map((result, index) => [result.id, index]));
        const byId = new Map(head.map((result) => [result.id, result]));
        fused = [
          ...reranked.flatMap((result) => (byId.has(result.id) ? [byId.get(result.id)!] : [])),
          ...head.filter((result) => !order.has(result.id)),
          ...fused.slice(settings.rerankTopN),
        ];
        legs.add('rerank');
        timings.rerankMs = performance.now() - rerankStarted;
      }
    }

    const top = keepRelevant(fused.slice(0, settings.topK), lists, rerankScores, settings.minRelativeScore);
    const neighboursStarted = performance.now();
    const windows = await widenWithNeighbours({
      scope,
      store: options.vectorStore,
      hits: top.map((result) => records.get(result.id)!).filter(Boolean),
      window: settings.neighbours,
      maxTokens: settings.maxTokens,
      tokenizer: options.tokenizer,
    });
    timings.neighboursMs = performance.now() - neighboursStarted;

    const passages: Passage[] = [];
    for (const result of top) {
      const window = windows.get(result.id);
      if (!window) continue;
      const metadata: Metadata = records.get(result.id)!.metadata;
      const rerankScore = rerankScores?.get(result.id);
      passages.push({
        id: result.id,
        text: window.text,
        score: rerankScore ?? result.score,
        legs: result.legs,
        rerankScore,
        chunkIds: window.chunks.map((chunk) => chunk.id),
        citation: {
          documentId: window.documentId,
          title: typeof metadata.title === 'string' ? metadata.title : undefined,
          source: typeof metadata.source === 'string' ? metadata.source : undefined,
          start: window.start,
          end: window.end,
          ...(Number.isInteger(metadata.page) && (metadata.page as number) > 0
            ? { page: metadata.page as number }
            : {}),
        },
        metadata,
      });
    }
    timings.totalMs = performance.now() - started;
    emitRetrievalEnd(telemetry, {
      scope,
      requestId: settings.requestId,
      durationMs: timings.totalMs,
      results: passages.length,
      legs: [...legs],
      cached: false,
    });
    return {
      query,
      passages,
      legs: [...legs],
      queries,
      degraded,
      rerankSkipped,
      cached: false,
      timingsMs: timings,
    };
  };
}
