import type { Scope } from '@neptune/core';
import {
  createKnowledgeBase,
  type IngestionProgress,
  type IngestionReport,
  type KnowledgeBase,
  type SourceDocument,
} from '@neptune/rag';
import { loadFolder } from '@neptune/rag/loaders';
import { type ProgressOutput, progressBar } from './progress-bar';

export { SAMPLE_DOCS_FOLDER } from './shipped-knowledge-base';

export interface IngestFolderResult {
  readonly documents: number;
  readonly first: IngestionReport;
  /** The same folder again: every document unchanged, nothing embedded. */
  readonly again: IngestionReport;
  /** After one document was edited: only that document is re-indexed, only its new chunks embedded. */
  readonly afterEdit: IngestionReport;
  readonly editedId: string;
  /** Every progress event the knowledge base reported, over the three runs. */
  readonly progress: readonly IngestionProgress[];
  readonly knowledgeBase: KnowledgeBase;
  readonly scope: Scope;
}

/**
 * The folder's documents through `@neptune/rag/loaders` (Markdown, text, JSON lines, HTML, PDF pages);
 * a file that cannot be read is reported and the rest go on.
 */
export async function readFolderDocuments(
  folder: string,
  write: (line: string) => void,
): Promise<SourceDocument[]> {
  const { documents, failures, files } = await loadFolder(folder);
  for (const failure of failures) write(`  skipped ${failure.file}: ${failure.reason}`);
  if (documents.length === 0)
    throw new Error(`No readable .md, .txt, .jsonl, .html or .pdf files under ${folder}`);
  write(`${documents.length} documents from ${files} files in ${folder}`);
  return documents;
}

/**
 * Ingests every document of a folder with a progress bar, then shows that ingestion is incremental: the
 * same folder again embeds nothing, and an edited document is the only one re-indexed.
 */
export async function ingestFolder(
  folder: string,
  options: { readonly output?: ProgressOutput; readonly write?: (line: string) => void } = {},
): Promise<IngestFolderResult> {
  const write = options.write ?? console.log;
  const bar = progressBar(options.output);
  const documents = await readFolderDocuments(folder, write);

  // Small embedding batches only so that the bar visibly moves on a small folder; the default is 256.
  const knowledgeBase = createKnowledgeBase({ embedBatchSize: 4 });
  const scope: Scope = { workspaceId: 'docs' };
  const progress: IngestionProgress[] = [];

  // One `ingest` call, the bar redrawn from the knowledge base's own progress events.
  async function ingest(label: string, batch: readonly SourceDocument[]): Promise<IngestionReport> {
    const report = await knowledgeBase.ingest(scope, batch, {
      onProgress: (event) => {
        progress.push(event);
        const chunks =
          event.chunksTotal > 0 ? `, ${event.chunksEmbedded}/${event.chunksTotal} chunks embedded` : '';
        bar.update(label, event.documentsDone, event.documentsTotal, `${event.phase}${chunks}`);
      },
    });
    bar.clear();
    const { added, updated, unchanged, chunksWritten, embeddingsComputed, durationMs } = report;
    write(
      `${label}: ${added.length} added, ${updated.length} updated, ${unchanged.length} unchanged | ` +
        `chunks written: ${chunksWritten}, embeddings computed: ${embeddingsComputed} | ${durationMs.toFixed(0)} ms`,
    );
    for (const failure of report.failed) write(`  failed: ${failure.documentId}: ${failure.error.message}`);
    return report;
  }

  const first = await ingest('First run', documents);
  const again = await ingest('Same folder again', documents);

  // Edit one document (as if the file had been saved with a new paragraph) and ingest the folder again.
  const edited = documents.at(-1)!;
  const changed = documents.map((document) =>
    document === edited ? { ...document, text: `${document.text}\n\nUpdated: see the changelog.` } : document,
  );
  const afterEdit = await ingest(`After editing ${edited.id}`, changed);

  return {
    documents: documents.length,
    first,
    again,
    afterEdit,
    editedId: edited.id,
    progress,
    knowledgeBase,
    scope,
  };
}
