export {
  type IngestJobData,
  IngestJobError,
  type IngestJobResult,
  parseIngestJobData,
  type RunIngestJobOptions,
  runIngestJob,
} from './ingest-job';
export {
  createIngestQueue,
  type DeadLetter,
  type IngestProgressEvent,
  type IngestQueue,
  type IngestQueueOptions,
} from './ingest-queue';
export { createIngestWorker, type IngestWorkerOptions } from './ingest-worker';
