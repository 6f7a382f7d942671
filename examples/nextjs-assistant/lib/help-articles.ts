import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scope } from '@neptune/core';
import type { IngestionReport, KnowledgeBase } from '@neptune/rag';

/** The demo's one tenant; the user comes from the session (see `app/api/chat/route.ts`). */
export const DEMO_WORKSPACE = 'demo';
export const KNOWLEDGE_SCOPE: Scope = { workspaceId: DEMO_WORKSPACE };

interface HelpArticle {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/**
 * The help-centre articles shipped with the example (`data/knowledge-base.jsonl`). Read from the project
 * folder, where `next dev`, `next start` and the ingest script run; `outputFileTracingIncludes` in
 * next.config.ts ships the file for deployments.
 */
async function loadHelpArticles(): Promise<HelpArticle[]> {
  const text = await readFile(join(process.cwd(), 'data', 'knowledge-base.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HelpArticle);
}

/**
 * Indexes the help articles: by `instrumentation.ts` when the server starts, and by `scripts/ingest.ts`.
 * Safe to re-run: unchanged articles cost nothing.
 */
export async function ingestHelpArticles(knowledge: KnowledgeBase): Promise<IngestionReport> {
  const report = await knowledge.ingest(KNOWLEDGE_SCOPE, await loadHelpArticles());
  if (report.failed.length > 0) {
    throw new Error(
      `Ingesting the help articles failed for ${report.failed.map((failure) => failure.documentId).join(', ')}.`,
    );
  }
  return report;
}

/** One line for the logs: what an ingestion did. */
export function ingestionSummary(report: IngestionReport): string {
  return (
    `Help articles: ${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged; ` +
    `${report.chunksWritten} chunks written, ${report.embeddingsComputed} embeddings computed in ${report.durationMs.toFixed(0)} ms.`
  );
}
