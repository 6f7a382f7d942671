/**
 * Runs once when the server starts, before it serves a request: the help articles are indexed here, so
 * no request ever waits for ingestion. The index is in memory, in this process, so the server builds it;
 * with a knowledge base on shared stores (pgvector, Redis: see docs/ingestion.md), `scripts/ingest.ts`
 * (or an ingest worker) fills it instead and `NEPTUNE_STARTUP_INGEST=off` turns this off.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEPTUNE_STARTUP_INGEST === 'off') return;
  const { neptune } = await import('./lib/neptune');
  const { ingestHelpArticles } = await import('./lib/help-articles');
  await ingestHelpArticles((await neptune()).knowledge);
}
