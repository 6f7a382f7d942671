/**
 * Ingest a folder of documents into a knowledge base, with a progress bar fed by the knowledge base's own
 * progress events (`onProgress`), then show that ingestion is incremental: re-running it on the same
 * folder embeds nothing, and after an edit only the edited document is re-indexed.
 *
 *   pnpm --filter @neptune/examples-pipeline ingest                 # the sample folder, data/docs
 *   pnpm --filter @neptune/examples-pipeline ingest -- ~/notes "a question"   # any folder of .md, .txt, .jsonl
 *
 * Offline and in memory: no key, no server. The index lives as long as the process; to keep it between
 * runs, give `createKnowledgeBase` a persistent vector store (`pgvectorStore` from `@neptune/rag/pgvector`)
 * and a persistent `store` (`redisKeyValueStore` from `@neptune/cache/redis`) together.
 */
import { resolve } from 'node:path';
import { ingestFolder, SAMPLE_DOCS_FOLDER } from './src/ingest-folder';

// `pnpm --filter` runs scripts from this package's folder; INIT_CWD is where you typed the command.
const [argument, query] = process.argv.slice(2).filter((value) => value !== '--');
const folder = argument ? resolve(process.env.INIT_CWD ?? process.cwd(), argument) : SAMPLE_DOCS_FOLDER;

const result = await ingestFolder(folder);

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
