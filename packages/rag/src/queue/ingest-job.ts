import {
  NeptuneError,
  parseInput,
  parseOptions,
  type Scope,
  sha256Hex,
  stableStringify,
  validateScope,
} from '@neptune/core';
import { z } from 'zod';
import type { IngestionProgress, IngestionReport } from '../ingestion/ingest-documents';
import { type SourceDocument, sourceDocumentsSchema } from '../ingestion/source-document';
import type { KnowledgeBase } from '../knowledge-base';

/** What one ingestion job carries: the documents themselves, so a worker needs nothing else to index them. */
export interface IngestJobData {
  readonly scope: Scope;
  readonly documents: readonly SourceDocument[];
}

/** What a finished job returns (and BullMQ keeps as the job's return value). */
export interface IngestJobResult {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly chunksWritten: number;
  readonly embeddingsComputed: number;
}

const jobDataSchema = z.object({
  scope: z.unknown(),
  documents: sourceDocumentsSchema.min(1, 'must not be empty'),
});

/** Checks a job's payload where it enters (enqueue, or a serverless runner's request). */
export function parseIngestJobData(data: unknown): { scope: Scope; documents: SourceDocument[] } {
  const parsed = parseInput(jobDataSchema, data, 'ingestion job');
  return { scope: validateScope(parsed.scope as Scope), documents: parsed.documents };
}

/**
 * A job id from the scope and the documents' content: the same documents enqueued again while their job
 * is waiting, running or kept as done give the same id, and BullMQ adds nothing.
 */
export async function ingestJobId(data: IngestJobData): Promise<string> {
  return `ingest-${(await sha256Hex(stableStringify({ scope: data.scope, documents: data.documents }))).slice(0, 40)}`;
}

/**
 * Embedding and store failures are worth retrying (a rate limit, a timeout, a network error); a
 * NeptuneError that says it is not retryable (bad input, wrong dimensions, a rejected key) is not.
 */
function retryable(error: Error): boolean {
  return NeptuneError.isInstance(error) ? error.isRetryable : true;
}

/** Some documents of a job failed; `isRetryable` says whether running the job again can help. */
export class IngestJobError extends NeptuneError {
  readonly failedDocumentIds: readonly string[];

  constructor(report: IngestionReport) {
    const retry = report.failed.every((failure) => retryable(failure.error));
    const first = report.failed[0]!;
    super({
      code: NeptuneError.isInstance(first.error) ? first.error.code : 'provider-error',
      message: `${report.failed.length} document(s) failed to index (first: ${first.documentId}: ${first.error.message})`,
      cause: first.error,
      isRetryable: retry,
      details: { failedDocumentIds: report.failed.map((failure) => failure.documentId) },
    });
    this.name = 'IngestJobError';
    this.failedDocumentIds = report.failed.map((failure) => failure.documentId);
  }
}

const runOptionsShape = {
  /** Called with each progress report, in order; a report that throws or rejects is ignored. */
  onProgress: z
    .custom<(progress: IngestionProgress) => void | Promise<void>>(
      (value) => typeof value === 'function',
      'must be a function of the progress',
    )
    .optional(),
  /** Stops the job between documents (what was indexed stays; a retry skips it). */
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const runOptionsSchema: z.ZodObject<typeof runOptionsShape> = z.object(runOptionsShape);

/** Options of `runIngestJob`. */
export type RunIngestJobOptions = z.input<typeof runOptionsSchema>;

/**
 * The worker function: indexes one job's documents with `knowledgeBase.ingest`, so a retry (or the same
 * documents enqueued twice) embeds only what is not indexed yet: the manifest skips finished documents
 * and the embedding cache answers texts already embedded. Throws `IngestJobError` when a document failed,
 * retryable or not, so whatever runs it (a BullMQ worker, a serverless job runner) retries or gives up.
 * Runs anywhere the knowledge base's stores are reachable; it does not need BullMQ.
 */
export async function runIngestJob(
  knowledgeBase: KnowledgeBase,
  data: unknown,
  options: RunIngestJobOptions = {},
): Promise<IngestJobResult> {
  const { scope, documents } = parseIngestJobData(data);
  const { onProgress, signal } = parseOptions(runOptionsSchema, options, 'runIngestJob options');
  let reported: Promise<void> = Promise.resolve();
  const report = await knowledgeBase.ingest(scope, documents, {
    signal,
    onProgress: onProgress
      ? (progress) => {
          // Progress reports are sent in order and never slow the ingestion down.
          reported = reported.then(() => onProgress(progress)).catch(() => undefined);
        }
      : undefined,
  });
  await reported;
  if (report.failed.length > 0) throw new IngestJobError(report);
  return {
    added: report.added.length,
    updated: report.updated.length,
    unchanged: report.unchanged.length,
    chunksWritten: report.chunksWritten,
    embeddingsComputed: report.embeddingsComputed,
  };
}
