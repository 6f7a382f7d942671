import { summarize } from '../lib/measure';
import type { SearchStrategy } from '../retrieval/search-system';

export interface TimedQueries {
  readonly queries: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Each query's ids, by query id, for recall checks. */
  readonly results: ReadonlyMap<string, readonly string[]>;
}

/**
 * Times each query on its own after three untimed warm-up queries. When the warm-up says the whole set
 * would take longer than `budgetMs`, only as many queries as fit are timed (at least 10), and the count
 * says so: a peer that scans every document per query would otherwise hold the run for an hour.
 */
export async function timeBoxedQueries(
  strategy: SearchStrategy,
  queries: ReadonlyArray<{ readonly id: string; readonly text: string }>,
  options: { readonly topK: number; readonly budgetMs: number },
): Promise<TimedQueries> {
  const warmupStarted = performance.now();
  for (const query of queries.slice(0, 3)) await strategy(query.text, options.topK);
  const perQueryMs = (performance.now() - warmupStarted) / 3;
  const count = Math.min(
    queries.length,
    Math.max(10, Math.floor(options.budgetMs / Math.max(perQueryMs, 1e-3))),
  );
  const samplesNs: number[] = [];
  const results = new Map<string, readonly string[]>();
  for (const query of queries.slice(0, count)) {
    const started = process.hrtime.bigint();
    const ids = await strategy(query.text, options.topK);
    samplesNs.push(Number(process.hrtime.bigint() - started));
    results.set(query.id, ids);
  }
  const summary = summarize(samplesNs);
  return { queries: count, p50Ms: summary.medianNs / 1e6, p95Ms: summary.p95Ns / 1e6, results };
}
