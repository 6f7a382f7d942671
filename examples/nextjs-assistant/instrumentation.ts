/**
 * Next.js runs `register` once when a server process starts and finishes it before the server takes
 * requests. Here it builds the help articles' knowledge base and indexes them, so that no request ever
 * waits for ingestion: the index is in this process's memory, so this process must build it, and start-up
 * is the moment. With stores that outlive the process (`pgvectorStore`, a Redis `store`; docs/ingestion.md),
 * remove the ingestion here and run `pnpm ingest` (scripts/ingest.ts) or a `@neptune/rag/queue` worker
 * instead: the server then only reads the index.
 */
export async function register(): Promise<void> {
  // The edge runtime has no file system and serves no Neptune route.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ helpKnowledge }, { ingestHelpArticles, ingestionSummary }] = await Promise.all([
    import('./lib/knowledge'),
    import('./lib/help-articles'),
  ]);
  console.log(`Indexed at start-up. ${ingestionSummary(await ingestHelpArticles(await helpKnowledge()))}`);
}
