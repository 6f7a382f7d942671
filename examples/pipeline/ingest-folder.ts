/**
 * Ingest a folder of documents into a knowledge base, with a progress bar fed by the knowledge base's own
 * progress events (`onProgress`), then show that ingestion is incremental: re-running it on the same
 * folder embeds nothing, and after an edit only the edited document is re-indexed. Files are read with
 * `@neptune/rag/loaders`: Markdown (front matter to metadata), text, JSON lines, HTML and PDF.
 *
 *   pnpm --filter @neptune/examples-pipeline ingest                 # the sample folder, data/docs
 *   pnpm --filter @neptune/examples-pipeline ingest -- ~/notes "a question"   # any folder
 *   REDIS_URL=redis://127.0.0.1:6379 pnpm --filter @neptune/examples-pipeline ingest -- --enqueue
 *                                                                   # through a BullMQ queue instead of inline
 *
 * Offline and in memory: no key, no server (`--enqueue` needs Redis; `--queue` is the same). The index lives as long as the
 * process; to keep it between runs, give `createKnowledgeBase` a persistent vector store (`pgvectorStore`
 * from `@neptune/rag/pgvector`) and a persistent `store` (`redisKeyValueStore` from `@neptune/cache/redis`).
 */
import { enqueueFolder } from './src/enqueue-folder';
import { parseIngestArguments } from './src/ingest-arguments';
import { ingestFolder } from './src/ingest-folder';

// `pnpm --filter` runs scripts from this package's folder; INIT_CWD is where you typed the command.
const {
  folder,
  question: query,
  enqueue,
} = parseIngestArguments(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());

let result: Awaited<ReturnType<typeof ingestFolder>> | Awaited<ReturnType<typeof enqueueFolder>>;
if (enqueue) {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl)
    throw new Error('--enqueue needs Redis: set REDIS_URL (for example redis://127.0.0.1:6379).');
  result = await enqueueFolder(folder, { redisUrl });
} else {
  result = await ingestFolder(folder);
}

// The index answers at once: the top chunks for a question (the second argument, if you gave one).
const question = query ?? 'How do I verify a webhook signature?';
const { passages } = await result.knowledgeBase.retrieve(result.scope, question, { topK: 3, neighbours: 0 });
console.log(`\nSearching the folder: "${question}"`);
for (const passage of passages) {
  const { documentId, title, start, end } = passage.citation;
  console.log(
    `  ${passage.score.toFixed(3)}  ${title ?? documentId} (${documentId}, characters ${start}-${end})`,
  );
}
