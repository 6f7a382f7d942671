/**
 * One ingestion worker process for the crash test: a knowledge base whose shared state is real (the
 * manifest and embedding cache in Redis, chunks in a Postgres keyword index), a slow embedder so that a
 * job is still running when the test kills the process, and a line on stdout for each step.
 *
 * Environment: REDIS_URL, DATABASE_URL, QUEUE_PREFIX, TABLE_NAME, WORKER_NAME.
 */
import { redisKeyValueStore } from '@neptune/cache/redis';
import { offlineEmbedder } from '@neptune/core/offline';
import { mockEmbedder } from '@neptune/core/testing';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createKnowledgeBase } from '../../knowledge-base';
import { postgresKeywordIndex } from '../../pgvector';
import { createIngestWorker } from '../ingest-worker';

const environment = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const redisUrl = environment('REDIS_URL');
const prefix = environment('QUEUE_PREFIX');
const worker = environment('WORKER_NAME');
const say = (line: string) => process.stdout.write(`${worker} ${line}\n`);

const store = redisKeyValueStore({ url: redisUrl, prefix: `${prefix}:kv:` });
const counter = redisKeyValueStore({ url: redisUrl, prefix: `${prefix}:count:` });
const pool = new pg.Pool({ connectionString: environment('DATABASE_URL'), max: 2 });
const keywordIndex = postgresKeywordIndex({ db: drizzle(pool), tableName: environment('TABLE_NAME') });
const offline = offlineEmbedder({ dimensions: 64 });
// Slow enough that a job is mid-way when the process is killed; every text that reaches the "model" is counted.
const embedder = mockEmbedder({
  dimensions: 64,
  delayMs: 40,
  embed: async (texts) => {
    await counter.increment({ workspaceId: 'test' }, 'embedded', { by: texts.length });
    return offline.embed(texts);
  },
});
const knowledgeBase = createKnowledgeBase({ embedder, keywordIndex, store, embedBatchSize: 4 });

const running = await createIngestWorker({
  connection: redisUrl,
  prefix,
  knowledgeBase,
  concurrency: 1,
  lockDurationMs: 2000,
  stalledIntervalMs: 1000,
  onProgress: (jobId, progress) =>
    say(`progress ${jobId} ${progress.phase} ${progress.documentsDone}/${progress.documentsTotal}`),
});
running.on('completed', (job) => say(`completed ${job.id}`));
running.on('failed', (job, error) => say(`failed ${job?.id} ${error.message}`));
await running.waitUntilReady();
say('ready');

process.on('SIGTERM', async () => {
  await running.close();
  await pool.end();
  await store.close();
  await counter.close();
  process.exit(0);
});
