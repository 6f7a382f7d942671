import { NeptuneError, parseOptions } from '@neptune/core';
import type { Job, Worker } from 'bullmq';
import { z } from 'zod';
import type { IngestionProgress } from '../ingestion/ingest-documents';
import type { KnowledgeBase } from '../knowledge-base';
import { loadBullMq } from './bullmq-module';
import { type IngestJobData, type IngestJobResult, runIngestJob } from './ingest-job';
import { connectionOptions, queueSettingsShape } from './queue-options';

const ownOptionsShape = {
  /** The knowledge base to index into. Its stores must outlive the worker: pgvector, Redis, Upstash. */
  knowledgeBase: z.custom<KnowledgeBase>(
    (value) => typeof (value as KnowledgeBase | undefined)?.ingest === 'function',
    'must be a knowledge base (createKnowledgeBase)',
  ),
  /** Jobs run at once in this worker; each job's documents share embedding calls. Default 2. */
  concurrency: z.number().int().min(1).max(1000).default(2),
  /**
   * How long a job stays locked without a heartbeat before another worker takes it over (its worker
   * crashed). Default 30,000 ms: BullMQ's. Lower it to recover faster; keep it above a job's pauses.
   */
  lockDurationMs: z.number().int().min(1000).default(30_000),
  /** How often this worker looks for jobs whose worker died. Default 30,000 ms. */
  stalledIntervalMs: z.number().int().min(500).default(30_000),
  /** Called with each progress report, in this process (also sent to `IngestQueue.onProgress` listeners). */
  onProgress: z
    .custom<(jobId: string, progress: IngestionProgress) => void>(
      (value) => typeof value === 'function',
      'must be a function (jobId, progress)',
    )
    .optional(),
  /** Start taking jobs at once. Default true; false waits for `worker.run()`. */
  autorun: z.boolean().default(true),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
const optionsSchema: z.ZodObject<typeof queueSettingsShape & typeof ownOptionsShape> = z.object({
  ...queueSettingsShape,
  ...ownOptionsShape,
});

/** Options of `createIngestWorker`. */
export type IngestWorkerOptions = z.input<typeof optionsSchema>;

/**
 * Starts a BullMQ worker that indexes jobs from `createIngestQueue` with `runIngestJob`. A job whose
 * documents failed for a retryable reason (embedding rate limit, timeout, store down) is retried with
 * backoff; one that cannot succeed (bad input) goes straight to the dead-letter list. A worker that dies
 * mid-job loses nothing: the job is taken over after `lockDurationMs`, and what the dead worker finished
 * is skipped (each document is committed alone: stores first, then the manifest).
 */
export async function createIngestWorker(
  options: IngestWorkerOptions,
): Promise<Worker<IngestJobData, IngestJobResult>> {
  const settings = parseOptions(optionsSchema, options, 'createIngestWorker options');
  const { Worker, UnrecoverableError } = await loadBullMq();
  const processor = async (
    job: Job<IngestJobData, IngestJobResult>,
    _token?: string,
    signal?: AbortSignal,
  ) => {
    try {
      return await runIngestJob(settings.knowledgeBase, job.data, {
        signal,
        onProgress: async (progress) => {
          settings.onProgress?.(job.id!, progress);
          await job.updateProgress({ ...progress });
        },
      });
    } catch (error) {
      // BullMQ retries any error; one a retry cannot fix (bad input) goes to the dead-letter list now.
      if (NeptuneError.isInstance(error) && !error.isRetryable) {
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  };
  return new Worker<IngestJobData, IngestJobResult>(settings.name, processor, {
    connection: connectionOptions(settings.connection),
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    autorun: settings.autorun,
  });
}
