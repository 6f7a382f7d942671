import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { redisKeyValueStore } from '@neptune/cache/redis';
import { randomTestId, serviceUrl } from '@neptune/core/testing';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentManifest } from '../ingestion/manifest';
import type { SourceDocument } from '../ingestion/source-document';
import { postgresKeywordIndex } from '../pgvector';
import { createIngestQueue, type IngestQueue } from './ingest-queue';

const redisUrl = serviceUrl('REDIS_URL');
const databaseUrl = serviceUrl('DATABASE_URL');
const workerScript = fileURLToPath(new URL('./testing/ingest-worker-process.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const scope = { workspaceId: 'crash-test' };
/** Where the worker processes count the texts that reach the embedding model. */
const counterScope = { workspaceId: 'test' };
const DOCUMENTS = 60;

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves when a line satisfies the test. */
  waitFor(test: (line: string) => boolean): Promise<string>;
}

function startWorker(name: string, environment: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@neptune/source', workerScript], {
    cwd: repositoryRoot,
    env: { ...process.env, ...environment, WORKER_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.test(line)) waiter.resolve(line);
        else waiters.push(waiter);
      }
    }
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null) lines.push(`exited ${code}: ${errors.slice(-2000)}`);
  });
  return {
    child,
    lines,
    waitFor: (test) => {
      const found = lines.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

function corpus(): SourceDocument[] {
  return Array.from({ length: DOCUMENTS }, (_, index) => ({
    id: `handbook/section-${index}.md`,
    title: `Section ${index}`,
    // Several sentences, so that a document has a few chunks and a job several embedding calls.
    text: Array.from(
      { length: 12 },
      (_, sentence) =>
        `Section ${index} sentence ${sentence} covers policy ${index * 31 + sentence} in detail.`,
    ).join(' '),
  }));
}

describe.skipIf(!redisUrl || !databaseUrl)(
  'two ingestion workers, one killed mid-job (real Redis, Postgres)',
  () => {
    const prefix = randomTestId('crash');
    const tableName = randomTestId('chunks_').toLowerCase();
    let pool: pg.Pool;
    let queue: IngestQueue;
    const workers: WorkerProcess[] = [];

    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      await postgresKeywordIndex({ db: drizzle(pool), tableName }).ensureSchema();
      queue = await createIngestQueue({ connection: redisUrl!, prefix, documentsPerJob: 5, backoffMs: 100 });
    });

    afterAll(async () => {
      for (const worker of workers)
        if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
      await Promise.all(
        workers.map((worker) =>
          worker.child.exitCode === null && worker.child.signalCode === null
            ? once(worker.child, 'exit')
            : undefined,
        ),
      );
      await queue?.queue.obliterate({ force: true });
      await queue?.close();
      for (const [storePrefix, keyScope] of [
        [`${prefix}:kv:`, scope],
        [`${prefix}:count:`, counterScope],
      ] as const) {
        const store = redisKeyValueStore({ url: redisUrl!, prefix: storePrefix });
        await store.clear(keyScope);
        await store.close();
      }
      await pool?.query(`DROP TABLE IF EXISTS "${tableName}"`);
      await pool?.end();
    });

    it('ends with every document indexed exactly once and none half-visible', {
      timeout: 120_000,
    }, async () => {
      const environment = {
        REDIS_URL: redisUrl!,
        DATABASE_URL: databaseUrl!,
        QUEUE_PREFIX: prefix,
        TABLE_NAME: tableName,
      };
      const doomed = startWorker('doomed', environment);
      const survivor = startWorker('survivor', environment);
      workers.push(doomed, survivor);
      await Promise.all([
        doomed.waitFor((line) => line.endsWith(' ready')),
        survivor.waitFor((line) => line.endsWith(' ready')),
      ]);

      const jobIds = await queue.enqueueIngest(scope, corpus());
      expect(jobIds).toHaveLength(DOCUMENTS / 5);

      // Kill one worker inside a job: some of its documents written, the rest not.
      const midJob = await doomed.waitFor((line) => {
        const match = / progress (\S+) writing (\d+)\/(\d+)$/.exec(line);
        return match !== null && Number(match[2]) >= 1 && Number(match[2]) < Number(match[3]);
      });
      doomed.child.kill('SIGKILL');
      await once(doomed.child, 'exit');
      const killedJob = midJob.split(' ')[2]!;

      // The survivor takes over the killed worker's job once its lock runs out, and finishes everything.
      await survivor.waitFor((line) => line === `survivor completed ${killedJob}`);
      for (;;) {
        const counts = await queue.counts();
        if (counts.waiting + counts.active + counts.delayed === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await queue.counts()).toMatchObject({ completed: jobIds.length, failed: 0 });

      // The commit record (manifest, in Redis) names every document once...
      const store = redisKeyValueStore({ url: redisUrl!, prefix: `${prefix}:kv:` });
      const manifest = new DocumentManifest(store);
      const ids = corpus().map((document) => document.id);
      const entries = await manifest.getMany(scope, ids);
      await store.close();
      expect(entries.every((entry) => entry !== undefined)).toBe(true);

      // ...and the index holds exactly the chunks each entry names: none missing, none twice, no leftovers.
      const { rows } = await pool.query<{ id: string; document_id: string }>(
        `SELECT id, metadata->>'documentId' AS document_id FROM "${tableName}" WHERE workspace_id = $1`,
        [scope.workspaceId],
      );
      const indexed = new Map<string, string[]>();
      for (const row of rows) indexed.set(row.document_id, [...(indexed.get(row.document_id) ?? []), row.id]);
      expect([...indexed.keys()].sort()).toEqual([...ids].sort());
      for (const [index, id] of ids.entries()) {
        expect(indexed.get(id)!.sort(), id).toEqual([...entries[index]!.chunkIds].sort());
      }
      expect(rows.length).toBe(entries.reduce((total, entry) => total + entry!.chunkIds.length, 0));
      expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);

      // What the killed worker committed was not embedded again (the survivor skipped it: manifest); its
      // other texts came from the embedding cache, unless the kill fell between a model call and the cache
      // write, which costs at most that one call's texts (embedBatchSize 4) again.
      const counter = redisKeyValueStore({ url: redisUrl!, prefix: `${prefix}:count:` });
      const embedded = Number(await counter.get(counterScope, 'embedded'));
      await counter.close();
      expect(embedded).toBeGreaterThanOrEqual(rows.length);
      expect(embedded).toBeLessThanOrEqual(rows.length + 4);
    });
  },
);
