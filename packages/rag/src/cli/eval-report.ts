import type { ConfigurationResult, RetrievalMetrics } from './evaluate-configuration';
import type { BASELINE_CONFIGURATIONS } from './retrieval-configurations';

/** (value − baseline) / baseline per metric; null when the baseline scored 0. */
export type RelativeChange = { readonly [Metric in keyof RetrievalMetrics]: number | null };

export interface ConfigurationReport extends ConfigurationResult {
  /** True when the row was added as a baseline rather than asked for with `--config`. */
  readonly addedAsBaseline: boolean;
  /** Against each baseline that ran, by name; null for a baseline that did not run. */
  readonly relativeChange: Readonly<Record<(typeof BASELINE_CONFIGURATIONS)[number], RelativeChange | null>>;
}

export interface EvalReport {
  readonly dataset: {
    readonly path: string;
    readonly split: string;
    readonly documents: number;
    readonly judgedQueries: number;
  };
  /** Where the corpus was indexed (`--store`), e.g. `memory (…)` or `postgres (host/db, table …)`. */
  readonly store: string;
  /** What every row shares: how deep each query is judged and what is left out. */
  readonly protocol: string;
  readonly configurations: readonly ConfigurationReport[];
}

function relativeChange(value: RetrievalMetrics, baseline: RetrievalMetrics): RelativeChange {
  const change = (metric: keyof RetrievalMetrics) =>
    baseline[metric] === 0 ? null : (value[metric] - baseline[metric]) / baseline[metric];
  return {
    ndcgAt10: change('ndcgAt10'),
    recallAt10: change('recallAt10'),
    recallAt100: change('recallAt100'),
    mrrAt10: change('mrrAt10'),
  };
}

export interface BuildEvalReportOptions {
  readonly dataset: EvalReport['dataset'];
  readonly store: string;
  readonly results: readonly ConfigurationResult[];
  readonly addedBaselines: readonly string[];
}

/** The rows with their relative change against the baselines of the same run. */
export function buildEvalReport(options: BuildEvalReportOptions): EvalReport {
  const byName = new Map(options.results.map((result) => [result.name, result]));
  const against = (name: (typeof BASELINE_CONFIGURATIONS)[number], result: ConfigurationResult) => {
    const baseline = byName.get(name);
    return baseline === undefined ? null : relativeChange(result.metrics, baseline.metrics);
  };
  return {
    dataset: options.dataset,
    store: options.store,
    protocol:
      'Each judged query is run once through the knowledge base (topK 100, 100 candidates per leg, no neighbours, result cache off); passages map to their documents, each counted once, the query id itself removed (as BEIR does); metrics as trec_eval -c.',
    configurations: options.results.map((result) => ({
      ...result,
      addedAsBaseline: options.addedBaselines.includes(result.name),
      relativeChange: {
        'keyword-naive': against('keyword-naive', result),
        bm25: against('bm25', result),
      },
    })),
  };
}
