import type { Scope } from '@neptune/core';
import { createKnowledgeBase, type KnowledgeBase } from '@neptune/rag';
import { createIngestQueue, createIngestWorker, type DeadLetter } from '@neptune/rag/queue';
import { readFolderDocuments } from './ingest-folder';

export interface EnqueueFolderResult {
  readonly jobIds: readonly string[];
  readonly completed: number;
  readonly deadLetters: readonly DeadLetter[];
  /** Job progress events as the queue relayed them (`jobId: phase documentsDone/documentsTotal`). */
  readonly progress: readonly string[];
  readonly knowledgeBase: KnowledgeBase;
  readonly scope: Scope;
}

/**
 * Ingests a folder through a BullMQ queue on Redis instead of inline: the documents are enqueued in jobs,
 * and a worker indexes them with retries, reporting progress through the queue. Here the worker runs in
 * this process so the script is self-contained; in an app it runs in its own process (or several), with
 * `createIngestWorker` and a knowledge base on shared stores (pgvector, Redis), while the app only enqueues.
 */
export async function enqueueFolder(
  folder: string,
  options: { readonly redisUrl: string; readonly prefix?: string; readonly write?: (line: string) => void },
): Promise<EnqueueFolderResult> {
  const write = options.write ?? console.log;
  const documents = await readFolderDocuments(folder, write);
  const scope: Scope = { workspaceId: 'docs' };
  const knowledgeBase = createKnowledgeBase();
  const settings = { connection: options.redisUrl, prefix: options.prefix ?? 'neptune-example' };
  const queue = await createIngestQueue({ ...settings, documentsPerJob: 3 });
  const worker = await createIngestWorker({ ...settings, knowledgeBase });
  const progress: string[] = [];
  const stop = await queue.onProgress(({ jobId, progress: event }) => {
    const line = `${jobId.slice(0, 14)}: ${event.phase} ${event.documentsDone}/${event.documentsTotal}`;
    progress.push(line);
    write(`  ${line}`);
  });
  try {
    const jobIds = await queue.enqueueIngest(scope, documents);
    write(`Enqueued ${documents.length} documents in ${jobIds.length} jobs`);
    for (;;) {
      const counts = await queue.counts();
      if (counts.waiting + counts.active + counts.delayed === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const deadLetters = await queue.deadLetters();
    const counts = await queue.counts();
    write(`Done: ${counts.completed} jobs completed, ${deadLetters.length} in the dead-letter list`);
    for (const dead of deadLetters)
      write(`  dead: ${dead.jobId} (${dead.documentIds.join(', ')}): ${dead.reason}`);
    return { jobIds, completed: counts.completed, deadLetters, progress, knowledgeBase, scope };
  } finally {
    stop();
    await worker.close();
    await queue.close();
  }
}
