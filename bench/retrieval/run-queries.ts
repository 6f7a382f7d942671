import { summarize } from '../lib/measure';
import type { SearchStrategy } from './search-system';

export interface QueryRun {
  /** Query id → document ids, best first, the query's own id left out (as BEIR does). */
  readonly run: Map<string, string[]>;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/**
 * Runs each query once through the strategy, timing each call on its own; the first `warmup` queries
 * are run once beforehand, untimed, so that every library is timed on compiled code.
 */
export async function runQueries(
  strategy: SearchStrategy,
  queries: ReadonlyArray<{ readonly id: string; readonly text: string }>,
  options: { readonly topK: number; readonly warmup?: number },
): Promise<QueryRun> {
  for (const query of queries.slice(0, options.warmup ?? 10)) await strategy(query.text, options.topK);
  const run = new Map<string, string[]>();
  const samplesNs: number[] = [];
  for (const query of queries) {
    const started = process.hrtime.bigint();
    const ids = await strategy(query.text, options.topK);
    samplesNs.push(Number(process.hrtime.bigint() - started));
    run.set(
      query.id,
      ids.filter((id) => id !== query.id),
    );
  }
  const summary = summarize(samplesNs);
  return { run, p50Ms: summary.medianNs / 1e6, p95Ms: summary.p95Ns / 1e6 };
}
