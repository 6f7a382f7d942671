import { parseInput, parseOptions, type Scope } from '@neptune/core';
import type { Job, JobsOptions, Queue, QueueEvents } from 'bullmq';
import { z } from 'zod';
import type { IngestionProgress } from '../ingestion/ingest-documents';
import type { SourceDocument } from '../ingestion/source-document';
import { loadBullMq } from './bullmq-module';
import { type IngestJobData, type IngestJobResult, ingestJobId, parseIngestJobData } from './ingest-job';
import { connectionOptions, queueSettingsShape } from './queue-options';

const ownOptionsShape = {
  /** Tries per job before it goes to the dead-letter list. Default 5. */
  attempts: z.number().int().min(1).max(100).default(5),
  /** First retry delay; each next one doubles (exponential backoff). Default 2,000 ms. */
  backoffMs: z.number().int().min(0).default(2000),
  /** Documents per job: a job's documents share embedding calls. Default 50. */
  documentsPerJob: z.number().int().min(1).max(10_000).default(50),
  /** Finished jobs kept for inspection (and for spotting the same documents enqueued again). Default 1,000. */
  keepCompleted: z.number().int().min(0).default(1000),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
const optionsSchema: z.ZodObject<typeof queueSettingsShape & typeof ownOptionsShape> = z.object({
  ...queueSettingsShape,
  ...ownOptionsShape,
});

/** Options of `createIngestQueue`. */
export type IngestQueueOptions = z.input<typeof optionsSchema>;

/** A job that used up its tries, or failed on something a retry cannot fix: kept until you retry or discard it. */
export interface DeadLetter {
  readonly jobId: string;
  readonly scope: Scope;
  readonly documentIds: readonly string[];
  readonly reason: string;
  readonly attemptsMade: number;
  /** Epoch milliseconds. */
  readonly failedAt: number | undefined;
}

/** A progress report of one ingestion job, as `IngestQueue.onProgress` listeners receive it. */
export interface IngestProgressEvent {
  readonly jobId: string;
  readonly progress: IngestionProgress;
}

/** What `createIngestQueue` returns: enqueues documents for background indexing, and manages the jobs. */
export interface IngestQueue {
  /** The BullMQ queue, for anything this API does not cover (dashboards, metrics, pausing). */
  readonly queue: Queue<IngestJobData, IngestJobResult>;
  /**
   * Adds documents for background indexing, `documentsPerJob` per job, and returns the job ids. The same
   * documents enqueued while their job is still known add no job; enqueued later, the worker finds them
   * indexed (the manifest) and embeds nothing. Documents are checked here, so bad input fails now.
   */
  enqueueIngest(
    scope: Scope,
    documents: readonly SourceDocument[],
    options?: { priority?: number },
  ): Promise<string[]>;
  /** Waiting, running, delayed (retry backoff), done and dead jobs. */
  counts(): Promise<Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>>;
  /** The dead-letter list, newest first. */
  deadLetters(options?: { start?: number; end?: number }): Promise<DeadLetter[]>;
  /** Sends a dead job back to the queue with fresh tries; false when no dead job has this id. */
  retryDeadLetter(jobId: string): Promise<boolean>;
  /** Sends every dead job back. */
  retryDeadLetters(): Promise<void>;
  /** Drops a dead job for good. */
  discardDeadLetter(jobId: string): Promise<boolean>;
  /** Progress of jobs as workers (in any process) report it; returns a function that stops listening. */
  onProgress(listener: (event: IngestProgressEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

function deadLetter(job: Job<IngestJobData>): DeadLetter {
  return {
    jobId: job.id!,
    scope: job.data.scope,
    documentIds: job.data.documents.map((document) => document.id),
    reason: job.failedReason,
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn,
  };
}

/**
 * A BullMQ queue of ingestion jobs on your Redis. Workers (`createIngestWorker`, in this process or any
 * other) take the jobs; failed embeddings are retried with exponential backoff, and jobs that still fail
 * wait in the dead-letter list (`deadLetters`, `retryDeadLetter`).
 */
export async function createIngestQueue(options: IngestQueueOptions): Promise<IngestQueue> {
  const settings = parseOptions(optionsSchema, options, 'createIngestQueue options');
  const { Queue, QueueEvents } = await loadBullMq();
  const connection = connectionOptions(settings.connection);
  const queue = new Queue<IngestJobData, IngestJobResult>(settings.name, {
    connection,
    prefix: settings.prefix,
  });
  let events: QueueEvents | undefined;
  const jobOptions: JobsOptions = {
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs },
    removeOnComplete: { count: settings.keepCompleted },
    removeOnFail: false,
  };

  async function failedJob(jobId: string): Promise<Job<IngestJobData> | undefined> {
    const job = await queue.getJob(jobId);
    return job && (await job.getState()) === 'failed' ? job : undefined;
  }

  return {
    queue,

    async enqueueIngest(scope, documents, enqueueOptions) {
      const checked = parseIngestJobData({ scope, documents });
      const priority = parseInput(
        z.number().int().min(0).max(2_097_152).optional(),
        enqueueOptions?.priority,
        'priority',
      );
      const jobs: Array<{ name: string; data: IngestJobData; opts: JobsOptions }> = [];
      for (let start = 0; start < checked.documents.length; start += settings.documentsPerJob) {
        const data = {
          scope: checked.scope,
          documents: checked.documents.slice(start, start + settings.documentsPerJob),
        };
        jobs.push({
          name: 'ingest',
          data,
          opts: { ...jobOptions, priority, jobId: await ingestJobId(data) },
        });
      }
      const added = await queue.addBulk(jobs);
      return added.map((job) => job.id!);
    },

    async counts() {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
        'prioritized',
      );
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      };
    },

    async deadLetters(range) {
      const jobs = (await queue.getFailed(range?.start ?? 0, range?.end ?? 99)) as Job<IngestJobData>[];
      return jobs.filter(Boolean).map(deadLetter);
    },

    async retryDeadLetter(jobId) {
      const job = await failedJob(jobId);
      if (!job) return false;
      await job.retry('failed', { resetAttemptsMade: true });
      return true;
    },

    async retryDeadLetters() {
      let failed = await queue.getFailedCount();
      // retryJobs moves up to `count` per call; loop until the list is empty.
      while (failed > 0) {
        await queue.retryJobs({ state: 'failed', count: 1000 });
        const remaining = await queue.getFailedCount();
        if (remaining >= failed) break;
        failed = remaining;
      }
    },

    async discardDeadLetter(jobId) {
      const job = await failedJob(jobId);
      if (!job) return false;
      await job.remove();
      return true;
    },

    async onProgress(listener) {
      events ??= new QueueEvents(settings.name, { connection, prefix: settings.prefix });
      await events.waitUntilReady();
      const handler = ({ jobId, data }: { jobId: string; data: unknown }) =>
        listener({ jobId, progress: data as IngestionProgress });
      events.on('progress', handler);
      return () => events?.off('progress', handler);
    },

    async close() {
      await events?.close();
      await queue.close();
    },
  };
}
