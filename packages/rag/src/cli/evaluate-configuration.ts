import { ValidationError } from '@neptune/core';
import type { BeirDataset, BeirDocument } from '../evaluation/load-beir-dataset';
import { mrrAtK } from '../evaluation/mrr-at-k';
import { meanNdcgAtK } from '../evaluation/ndcg-at-k';
import { meanRecallAtK } from '../evaluation/recall-at-k';
import type { SourceDocument } from '../ingestion/source-document';
import type { KnowledgeBase } from '../knowledge-base';
import type { EvalStores } from './eval-stores';
import type { ProgressBar } from './progress-bar';
import type {
  BuiltConfiguration,
  ConfigurationContext,
  RetrievalConfiguration,
} from './retrieval-configurations';

/** Documents judged per query: Recall@100 needs the top 100. */
export const EVALUATION_DEPTH = 100;
/** Documents per `ingest` call, so that the progress bar moves while chunking. */
const INGEST_BATCH = 250;
const SCOPE = { workspaceId: 'neptune-eval' };
const UNLIMITED_TOKENS = 1_000_000_000;

export interface RetrievalMetrics {
  readonly ndcgAt10: number;
  readonly recallAt10: number;
  readonly recallAt100: number;
  readonly mrrAt10: number;
}

export interface ConfigurationResult {
  readonly name: string;
  readonly description: string;
  /** `provider/model/dimensions` of the embedder the configuration indexed with. */
  readonly embedder: string;
  readonly metrics: RetrievalMetrics;
  /** Per query, the whole `retrieve` call: query embedding, both legs, fusion, expansion, reranking. */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly mean: number };
  /** The knowledge base's ingestion of the corpus: chunking, hashing, embedding, indexing. */
  readonly indexBuildMs: number;
  readonly documents: number;
  readonly chunks: number;
  readonly queries: number;
  /** Documents the knowledge base refused or failed to index (they can never be found). */
  readonly failedDocuments: number;
}

/** Nearest-rank percentile of sorted values, `fraction` in (0, 1]. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

/** A BEIR record as a knowledge-base document; a record without text is searched by its title. */
function toSourceDocument(document: BeirDocument): SourceDocument | undefined {
  const title = document.title.trim();
  if (document.text.trim() === '') return title === '' ? undefined : { id: document.id, text: title };
  // A title too long for the title field still counts, as part of the text.
  if (title.length > 1000) return { id: document.id, text: `${title}\n${document.text}` };
  return { id: document.id, text: document.text, title: title === '' ? undefined : title };
}

/** Document ids of the passages, each once, best first, without the query's own id (as BEIR does). */
function rankedDocuments(documentIds: readonly string[], queryId: string): string[] {
  const ranking = new Set<string>();
  for (const id of documentIds) if (id !== queryId) ranking.add(id);
  return [...ranking].slice(0, EVALUATION_DEPTH);
}

export interface EvaluateConfigurationOptions {
  readonly configuration: RetrievalConfiguration;
  readonly dataset: BeirDataset;
  readonly context: ConfigurationContext;
  readonly progress: ProgressBar;
  /** The stores of `--store`; omitted for the knowledge base's in-memory defaults. */
  readonly stores?: EvalStores | undefined;
}

interface IndexedCorpus {
  readonly documents: number;
  readonly chunks: number;
  readonly failedDocuments: number;
  readonly indexBuildMs: number;
}

/** Ingests the corpus in batches, timed as a whole, so that the progress bar moves while chunking. */
async function indexCorpus(
  name: string,
  knowledgeBase: KnowledgeBase,
  dataset: BeirDataset,
  progress: ProgressBar,
): Promise<IndexedCorpus> {
  const documents = dataset.corpus.flatMap((document) => toSourceDocument(document) ?? []);
  progress.start(`${name} indexing`, documents.length);
  let chunks = 0;
  let failedDocuments = dataset.corpus.length - documents.length;
  const started = performance.now();
  for (let start = 0; start < documents.length; start += INGEST_BATCH) {
    const report = await knowledgeBase.ingest(SCOPE, documents.slice(start, start + INGEST_BATCH), {
      onProgress: (state) => progress.update(start + state.documentsDone),
    });
    chunks += report.chunksWritten;
    failedDocuments += report.failed.length;
  }
  const indexBuildMs = performance.now() - started;
  progress.finish(
    `${documents.length.toLocaleString('en-US')} documents (${chunks.toLocaleString('en-US')} chunks) in ${(indexBuildMs / 1000).toFixed(2)} s`,
  );
  return { documents: documents.length, chunks, failedDocuments, indexBuildMs };
}

interface JudgedRun {
  readonly run: Map<string, string[]>;
  readonly latencyMs: ConfigurationResult['latencyMs'];
}

/** Runs each judged query once through `retrieve`, timing each call. */
async function runJudgedQueries(
  name: string,
  built: BuiltConfiguration,
  dataset: BeirDataset,
  progress: ProgressBar,
): Promise<JudgedRun> {
  const queryIds = [...dataset.qrels.keys()];
  progress.start(`${name} querying`, queryIds.length);
  const run = new Map<string, string[]>();
  const latencies: number[] = [];
  for (const [index, queryId] of queryIds.entries()) {
    const query = dataset.queries.get(queryId);
    if (query === undefined) {
      throw new ValidationError({
        message: `Query "${queryId}" is judged in the qrels but missing from queries.jsonl. Use the queries file of the same BEIR data set.`,
        details: { queryId },
      });
    }
    const started = performance.now();
    const result = await built.knowledgeBase.retrieve(SCOPE, query, {
      ...built.retrieveOptions,
      topK: EVALUATION_DEPTH,
      candidates: EVALUATION_DEPTH,
      // Judged by document: no neighbouring chunks, and no token budget cutting the list short.
      neighbours: 0,
      maxTokens: UNLIMITED_TOKENS,
    });
    latencies.push(performance.now() - started);
    run.set(
      queryId,
      rankedDocuments(
        result.passages.map((passage) => passage.citation.documentId),
        queryId,
      ),
    );
    progress.update(index + 1);
  }
  latencies.sort((left, right) => left - right);
  const latencyMs = {
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    mean: latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length),
  };
  progress.finish(
    `${queryIds.length.toLocaleString('en-US')} queries, p50 ${latencyMs.p50.toFixed(1)} ms, p95 ${latencyMs.p95.toFixed(1)} ms`,
  );
  return { run, latencyMs };
}

/**
 * Indexes the corpus with one configuration's knowledge base, runs every judged query once through its
 * `retrieve`, and scores the document rankings as `trec_eval -c` does.
 */
export async function evaluateConfiguration(
  options: EvaluateConfigurationOptions,
): Promise<ConfigurationResult> {
  const { configuration, dataset, context, progress } = options;
  const stores = await options.stores?.prepare(configuration.usesEmbedder, context.embedder, SCOPE);
  const built = configuration.build({ ...context, stores });
  const indexed = await indexCorpus(configuration.name, built.knowledgeBase, dataset, progress);
  await options.stores?.settle();
  const { run, latencyMs } = await runJudgedQueries(configuration.name, built, dataset, progress);
  const embedder = built.knowledgeBase.embedder;
  return {
    name: configuration.name,
    description: configuration.description,
    embedder: `${embedder.provider}/${embedder.model}/${embedder.dimensions}`,
    metrics: {
      ndcgAt10: meanNdcgAtK(run, dataset.qrels, 10),
      recallAt10: meanRecallAtK(run, dataset.qrels, 10),
      recallAt100: meanRecallAtK(run, dataset.qrels, 100),
      mrrAt10: mrrAtK(run, dataset.qrels, 10),
    },
    latencyMs,
    ...indexed,
    queries: run.size,
  };
}
