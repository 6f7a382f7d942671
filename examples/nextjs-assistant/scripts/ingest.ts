/**
 * `pnpm --filter @neptune/examples-nextjs-assistant ingest`: the app's ingestion, outside the server.
 * It indexes the help articles with the function the server runs at start-up (`instrumentation.ts`) and
 * prints the report. With this example's in-memory index the server builds its own copy when it starts,
 * so this run only shows the work; give the knowledge base shared stores (`pgvectorStore`, a Redis
 * `store`, as in docs/ingestion.md) in both places and this script (run in CI, by cron, or as an ingest
 * worker with `@neptune/rag/queue`) becomes the only place ingestion happens.
 */
import { createKnowledgeBase } from '@neptune/rag';
import { ingestHelpArticles, ingestionSummary } from '../lib/help-articles';

console.log(ingestionSummary(await ingestHelpArticles(createKnowledgeBase())));
